using System.Text.RegularExpressions;
using Vcm.Api;
using Vcm.Domain.Common;
using Vcm.Manager.Configuration;
using Vcm.Store.Auth;
using Vcm.Store.Federation;
using Vcm.Store.Records;
using Vcm.Store.Sites;

namespace Vcm.Manager.Peers;

/// <summary>
/// Peering: `vcm peer add` here sends the other site a peer token its admin made, this site's name and URL and the
/// key this site will present; the other site checks the token (once only), keeps the key's hash, and answers with
/// its name and the key it will present here. From then on both sides authenticate every call.
/// </summary>
public sealed partial class PeerService(
    PeerStore peers, SiteStore sites, TokenStore tokens, FederationClient client, LocalSite site, TimeProvider clock)
{
    public const string TokenKind = "peer";

    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    public async Task<PeerTokenView> CreateTokenAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var token = TokenStore.NewSecret("vcmpeer_");
        await tokens.AddAsync(TokenKind, token, now.ToUnixTimeMilliseconds(), (now + TokenLifetime).ToUnixTimeMilliseconds(), cancellationToken);
        return new PeerTokenView(token, now + TokenLifetime, site.Name, site.Url);
    }

    /// <summary>Checks a peer-add request; every problem at once.</summary>
    public IReadOnlyList<Problem> Validate(PeerAddRequest request)
    {
        var problems = new List<Problem>();
        CheckName(request.Name, "name", problems);
        CheckUrl(request.Url, "url", problems);
        if (string.IsNullOrWhiteSpace(request.Token))
        {
            problems.Add(new Problem("token", "is required: make one at the other site with `vcm peer token`"));
        }

        return problems;
    }

    /// <summary>Registers the peer (after <see cref="Validate"/>); throws <see cref="PeerCallException"/> when it refuses or does not answer.</summary>
    public async Task<PeerRecord> AddAsync(PeerAddRequest request, CancellationToken cancellationToken)
    {
        var name = request.Name!;
        var url = request.Url!.TrimEnd('/');
        var ourKey = TokenStore.NewSecret("vcmkey_");
        var answer = await client.AcceptAsync(name, url, new PeerAcceptRequest(request.Token!, site.Name, site.Url, ourKey), cancellationToken);
        if (answer.Site != name)
        {
            throw new PeerCallException(name, PeerFailure.Refused, $"the manager at {url} is site '{answer.Site}', not '{name}'");
        }

        if (string.IsNullOrEmpty(answer.Key) || answer.Key.Length > 512)
        {
            throw new PeerCallException(name, PeerFailure.Refused, $"site {name} answered without a usable key");
        }

        var peer = await peers.SaveAsync(name, url, ourKey, answer.Key, clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        await sites.EnsurePeerAsync(name, url, cancellationToken);
        return peer;
    }

    /// <summary>The other side of <see cref="AddAsync"/>: problems if the request is not acceptable, else our answer.</summary>
    public async Task<(IReadOnlyList<Problem> Problems, bool Unauthorized, PeerAcceptResponse? Answer)> AcceptAsync(
        PeerAcceptRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (string.IsNullOrEmpty(request.Token) || request.Token.Length > 512
            || await tokens.KindOfAsync(request.Token, now, cancellationToken) != TokenKind)
        {
            return ([new Problem("token", "is not a valid peer token of this site (they are used once and last an hour)")], true, null);
        }

        var problems = new List<Problem>();
        CheckName(request.Site, "site", problems);
        CheckUrl(request.Url, "url", problems);
        if (string.IsNullOrEmpty(request.Key) || request.Key.Length is < 16 or > 512)
        {
            problems.Add(new Problem("key", "must be 16 to 512 characters"));
        }

        if (problems.Count > 0)
        {
            return (problems, false, null);
        }

        await tokens.RemoveAsync(request.Token, cancellationToken);
        var ourKey = TokenStore.NewSecret("vcmkey_");
        await peers.SaveAsync(request.Site, request.Url.TrimEnd('/'), ourKey, request.Key, now, cancellationToken);
        await sites.EnsurePeerAsync(request.Site, request.Url.TrimEnd('/'), cancellationToken);
        return ([], false, new PeerAcceptResponse(site.Name, ourKey));
    }

    public async Task<bool> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        var removed = await peers.RemoveAsync(name, cancellationToken);
        await sites.RemovePeerAsync(name, cancellationToken);
        return removed;
    }

    public static PeerView View(PeerRecord peer) => new(peer.Name, peer.Url, DateTimeOffset.FromUnixTimeMilliseconds(peer.AddedMs));

    private void CheckName(string? name, string field, List<Problem> problems)
    {
        if (string.IsNullOrEmpty(name) || !SiteName().IsMatch(name))
        {
            problems.Add(new Problem(field, "must be a site name: 1 to 32 lower-case letters, digits and '-', starting with a letter"));
        }
        else if (name == site.Name)
        {
            problems.Add(new Problem(field, $"'{name}' is this site's own name"));
        }
    }

    private static void CheckUrl(string? url, string field, List<Problem> problems)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/")
        {
            problems.Add(new Problem(field, "must be a manager's base URL like http://127.0.0.1:8711"));
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,31}$")]
    private static partial Regex SiteName();
}
