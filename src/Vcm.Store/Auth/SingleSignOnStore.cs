using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Common;
using Vcm.Domain.Tenancy;
using Vcm.Store.Records;

namespace Vcm.Store.Auth;

/// <summary>
/// Users of the site's identity provider, found by issuer and subject (never by name, so a provider's user can never
/// become a local account that happens to share its name), and the one-time codes of `vcm login --web`.
/// </summary>
public sealed class SingleSignOnStore(Database database)
{
    /// <summary>
    /// Makes or updates the provider's user with the tenant and role its groups give now; null when the tenant does not
    /// exist. A new user is named after <paramref name="preferredName"/> (made a valid account name), with a suffix when
    /// that name is taken.
    /// </summary>
    public async Task<SingleSignOnUser?> SignInAsync(
        string issuer, string subject, string? preferredName, string? tenantName, Role role, long nowMs, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = database.CreateContext();
            await using var transaction = await db.BeginWriteAsync(cancellationToken);
            string? tenantId = null;
            if (tenantName is not null)
            {
                tenantId = await db.Tenants.Where(t => t.Name == tenantName).Select(t => t.Id).FirstOrDefaultAsync(cancellationToken);
                if (tenantId is null)
                {
                    return null;
                }
            }

            var roleName = Roles.Name(role);
            var user = await db.Users.AsTracking().FirstOrDefaultAsync(u => u.OidcIssuer == issuer && u.OidcSubject == subject, cancellationToken);
            var changed = false;
            if (user is null)
            {
                var name = await FreeNameAsync(db, issuer, subject, preferredName, cancellationToken);
                user = new UserRecord { Id = Ids.New(), Name = name, TenantId = tenantId, Role = roleName, CreatedMs = nowMs, OidcIssuer = issuer, OidcSubject = subject };
                db.Users.Add(user);
            }
            else if (user.TenantId != tenantId || user.Role != roleName)
            {
                (user.TenantId, user.Role, changed) = (tenantId, roleName, true);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return new SingleSignOnUser(user, changed);
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // another manager made this user (or took the name) meanwhile: read again
            }
        }
    }

    /// <summary>Ends every way the provider's user signs in here (its API tokens, its CLI codes); the user's id, or null when there is none.</summary>
    public async Task<string?> RevokeAsync(string issuer, string subject, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var id = await db.Users.Where(u => u.OidcIssuer == issuer && u.OidcSubject == subject).Select(u => u.Id).FirstOrDefaultAsync(cancellationToken);
        if (id is not null)
        {
            await db.Tokens.Where(t => t.UserId == id).ExecuteDeleteAsync(cancellationToken);
            await db.CliCodes.Where(c => c.UserId == id).ExecuteDeleteAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>Makes a one-time code for `vcm login --web`; the code is returned once and only its hash is kept.</summary>
    public async Task<string> AddCliCodeAsync(string userId, string challenge, long nowMs, long expiresMs, CancellationToken cancellationToken)
    {
        var code = TokenStore.NewSecret("vcmc_");
        await using var db = database.CreateContext();
        db.CliCodes.Add(new CliCodeRecord { Hash = TokenStore.Hash(code), UserId = userId, Challenge = challenge, CreatedMs = nowMs, ExpiresMs = expiresMs });
        await db.SaveChangesAsync(cancellationToken);
        return code;
    }

    /// <summary>Takes a code once: removed whether or not it is still valid; its record when it was, else null. Expired codes go too.</summary>
    public async Task<CliCodeRecord?> TakeCliCodeAsync(string code, long nowMs, CancellationToken cancellationToken)
    {
        var hash = TokenStore.Hash(code);
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var record = await db.CliCodes.FirstOrDefaultAsync(c => c.Hash == hash, cancellationToken);
        var removed = await db.CliCodes.Where(c => c.Hash == hash || c.ExpiresMs < nowMs).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return record is not null && removed > 0 && record.ExpiresMs >= nowMs ? record : null;
    }

    private static async Task<string> FreeNameAsync(VcmDbContext db, string issuer, string subject, string? preferred, CancellationToken cancellationToken)
    {
        var name = AccountNameOf(preferred);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(issuer + "\n" + subject)))[..8];
        string[] candidates = [name, .. Enumerable.Range(2, 8).Select(i => $"{name[..Math.Min(name.Length, 60)]}-{i}"), $"{name[..Math.Min(name.Length, 54)]}-{hash}"];
        var taken = await db.Users.Where(u => candidates.Contains(u.Name)).Select(u => u.Name).ToListAsync(cancellationToken);
        return candidates.FirstOrDefault(c => !taken.Contains(c)) ?? "user-" + hash;
    }

    /// <summary>A valid account name made of the provider's preferred user name (lower case, other characters as '-').</summary>
    public static string AccountNameOf(string? preferred)
    {
        var builder = new StringBuilder();
        foreach (var c in (preferred ?? "").ToLowerInvariant())
        {
            builder.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-' ? c : '-');
        }

        var name = builder.ToString().TrimStart('.', '_', '-');
        name = name[..Math.Min(name.Length, 63)];
        return AccountName.IsValid(name) ? name : "user";
    }
}
