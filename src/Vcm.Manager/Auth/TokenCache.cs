using System.Collections.Concurrent;
using Vcm.Store.Auth;

namespace Vcm.Manager.Auth;

/// <summary>Answers "what kind of token is this" from the database, remembering valid answers for a short while.</summary>
public sealed class TokenCache(TokenStore tokens, TimeProvider clock)
{
    private static readonly TimeSpan Remember = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (string Kind, DateTimeOffset Until)> _known = new(StringComparer.Ordinal);

    public async Task<string?> KindOfAsync(string token, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var hash = TokenStore.Hash(token);
        if (_known.TryGetValue(hash, out var known) && known.Until > now)
        {
            return known.Kind;
        }

        var kind = await tokens.KindOfAsync(token, now.ToUnixTimeMilliseconds(), cancellationToken);
        if (kind is not null)
        {
            _known[hash] = (kind, now + Remember);
        }

        return kind;
    }
}
