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

    public async Task AddAsync(string kind, string token, long nowMs, long? expiresMs, CancellationToken cancellationToken, string? userId = null)
    {
        await using var db = database.CreateContext();
        var hash = Hash(token);
        if (userId is not null && await db.Tokens.AsTracking().FirstOrDefaultAsync(t => t.Hash == hash, cancellationToken) is { } existing)
        {
            // a token made before users: it becomes the user's
            if (existing.UserId != userId)
            {
                existing.UserId = userId;
                await db.SaveChangesAsync(cancellationToken);
            }

            return;
        }

        db.Tokens.Add(new TokenRecord { Id = Ids.New(), Kind = kind, Hash = hash, CreatedMs = nowMs, ExpiresMs = expiresMs, UserId = userId });
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

    /// <summary>A valid (known, unexpired) token's record, or null.</summary>
    public async Task<TokenRecord?> FindValidAsync(string token, long nowMs, CancellationToken cancellationToken)
    {
        var hash = Hash(token);
        await using var db = database.CreateContext();
        var record = await db.Tokens.FirstOrDefaultAsync(t => t.Hash == hash, cancellationToken);
        return record is null || record.ExpiresMs < nowMs ? null : record;
    }

    /// <summary>Makes a user's API token; the secret is returned once and only its hash is kept.</summary>
    public async Task<(TokenRecord Record, string Secret)> CreateUserTokenAsync(
        string userId, string? name, long nowMs, long? expiresMs, CancellationToken cancellationToken) =>
        await CreateAsync(new TokenRecord { Id = "tok-" + Ids.New()[^12..], Kind = "user", Hash = "", CreatedMs = nowMs, ExpiresMs = expiresMs, UserId = userId, Name = name }, "vcmu_", cancellationToken);

    public const string SessionKind = "session";

    /// <summary>Starts a browser's session for a user (its secret goes into an HttpOnly cookie, returned once).</summary>
    public async Task<(TokenRecord Record, string Secret)> CreateSessionAsync(
        string userId, string source, string? idToken, long nowMs, long expiresMs, CancellationToken cancellationToken) =>
        await CreateAsync(
            new TokenRecord { Id = "ses-" + Ids.New()[^12..], Kind = SessionKind, Hash = "", CreatedMs = nowMs, ExpiresMs = expiresMs, UserId = userId, Name = source, IdToken = idToken },
            "vcms_", cancellationToken);

    private async Task<(TokenRecord Record, string Secret)> CreateAsync(TokenRecord record, string prefix, CancellationToken cancellationToken)
    {
        var secret = NewSecret(prefix);
        record.Hash = Hash(secret);
        await using var db = database.CreateContext();
        db.Tokens.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return (record, secret);
    }

    public const string JoinKind = "join";

    /// <summary>Makes a join token; the secret is returned once and only its hash is kept.</summary>
    public async Task<(TokenRecord Record, string Secret)> CreateJoinTokenAsync(string? name, long nowMs, long expiresMs, CancellationToken cancellationToken) =>
        await CreateAsync(new TokenRecord { Id = "jt-" + Ids.New()[^12..], Kind = JoinKind, Hash = "", CreatedMs = nowMs, ExpiresMs = expiresMs, Name = name }, "vcmjoin_", cancellationToken);

    /// <summary>The site's join tokens (expired ones too, until revoked), oldest first.</summary>
    public async Task<IReadOnlyList<TokenRecord>> ListJoinTokensAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Tokens.Where(t => t.Kind == JoinKind).OrderBy(t => t.CreatedMs).ToListAsync(cancellationToken);
    }

    /// <summary>Revokes a token of the kind by id; false when there is none of that kind.</summary>
    public async Task<bool> RevokeAsync(string id, string kind, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var removed = await db.Tokens.Where(t => t.Id == id && t.Kind == kind).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return removed > 0;
    }

    /// <summary>The API tokens of some users (all users' when null), newest first; join tokens are not listed.</summary>
    public async Task<IReadOnlyList<TokenRecord>> ListUserTokensAsync(IReadOnlyList<string>? userIds, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var query = db.Tokens.Where(t => t.UserId != null);
        if (userIds is not null)
        {
            query = query.Where(t => userIds.Contains(t.UserId!));
        }

        return await query.OrderByDescending(t => t.CreatedMs).ToListAsync(cancellationToken);
    }

    public async Task<TokenRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Tokens.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
    }

    /// <summary>Revokes (removes) a token by id; false when there was none.</summary>
    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var removed = await db.Tokens.Where(t => t.Id == id).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return removed > 0;
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
