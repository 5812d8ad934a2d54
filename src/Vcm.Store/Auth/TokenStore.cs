using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Common;
using Vcm.Store.Records;

namespace Vcm.Store.Auth;

/// <summary>Tokens are kept as SHA-256 hashes; the secret itself is shown once and never stored.</summary>
public sealed class TokenStore(Database database)
{
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static string NewSecret(string prefix) =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    public async Task AddAsync(string kind, string token, long nowMs, long? expiresMs, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        db.Tokens.Add(new TokenRecord { Id = Ids.New(), Kind = kind, Hash = Hash(token), CreatedMs = nowMs, ExpiresMs = expiresMs });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // the same token is there already
        }
    }

    /// <summary>The kind of a valid token (admin, join), or null.</summary>
    public async Task<string?> KindOfAsync(string token, long nowMs, CancellationToken cancellationToken)
    {
        var hash = Hash(token);
        await using var db = database.CreateContext();
        var record = await db.Tokens.FirstOrDefaultAsync(t => t.Hash == hash, cancellationToken);
        return record is null || record.ExpiresMs < nowMs ? null : record.Kind;
    }

    /// <summary>Removes a token (a one-time token once used); false when there was none.</summary>
    public async Task<bool> RemoveAsync(string token, CancellationToken cancellationToken)
    {
        var hash = Hash(token);
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var removed = await db.Tokens.Where(t => t.Hash == hash).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return removed > 0;
    }

    public async Task<bool> AnyAsync(string kind, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Tokens.AnyAsync(t => t.Kind == kind, cancellationToken);
    }
}
