using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Domain.Tenancy;
using Vcm.Store.Records;

namespace Vcm.Store.Tenancy;

/// <summary>Tenants, their users and the users' SSH keys. Each change is one transaction; a refused change changes nothing.</summary>
public sealed class TenancyStore(Database database)
{
    public async Task<TenantRecord?> FindTenantAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Tenants.FirstOrDefaultAsync(t => t.Name == name, cancellationToken);
    }

    public async Task<TenantRecord?> GetTenantAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Tenants.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
    }

    /// <summary>A tenant's clusters that can count against its quota from <paramref name="sinceMs"/> on (live ones, and final ones whose window reaches past it).</summary>
    public async Task<IReadOnlyList<QuotaHolding>> QuotaClustersAsync(string tenantId, long sinceMs, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await QuotaHolding.Of(db.Clusters, tenantId, sinceMs).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<TenantRecord>> ListTenantsAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Tenants.OrderBy(t => t.Name).ToListAsync(cancellationToken);
    }

    /// <summary>Makes a tenant; null when the name is taken.</summary>
    public async Task<TenantRecord?> CreateTenantAsync(string name, TenantQuota quota, long nowMs, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        if (await db.Tenants.AnyAsync(t => t.Name == name, cancellationToken))
        {
            return null;
        }

        var tenant = new TenantRecord { Id = Ids.New(), Name = name, CreatedMs = nowMs };
        TenantQuotas.Write(tenant, quota);
        db.Tenants.Add(tenant);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return null; // another manager made one of that name meanwhile (the unique index)
        }

        return tenant;
    }

    /// <summary>Sets a tenant's quota; null when there is no such tenant, or (given <paramref name="expectedVersion"/>) it has changed since.</summary>
    public async Task<TenantRecord?> SetQuotaAsync(string name, TenantQuota quota, long? expectedVersion, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var tenant = await db.Tenants.AsTracking().FirstOrDefaultAsync(t => t.Name == name, cancellationToken);
        if (tenant is null || (expectedVersion is { } expected && tenant.Version != expected))
        {
            return null;
        }

        TenantQuotas.Write(tenant, quota);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return tenant;
    }

    /// <summary>Removes a tenant with its users, their keys and tokens — refused while it owns a live cluster.</summary>
    public async Task<TenantRemoval> DeleteTenantAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Name == name, cancellationToken);
        if (tenant is null)
        {
            return TenantRemoval.NotFound;
        }

        if (await db.Clusters.AnyAsync(c => c.TenantId == tenant.Id && c.ActiveName != null, cancellationToken))
        {
            return TenantRemoval.HasLiveClusters;
        }

        var users = db.Users.Where(u => u.TenantId == tenant.Id).Select(u => u.Id);
        await db.Tokens.Where(t => t.UserId != null && users.Contains(t.UserId)).ExecuteDeleteAsync(cancellationToken);
        await db.UserKeys.Where(k => users.Contains(k.UserId)).ExecuteDeleteAsync(cancellationToken);
        await db.Users.Where(u => u.TenantId == tenant.Id).ExecuteDeleteAsync(cancellationToken);
        await db.Tenants.Where(t => t.Id == tenant.Id).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TenantRemoval.Removed;
    }

    public async Task<UserRecord?> FindUserAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Users.FirstOrDefaultAsync(u => u.Name == name, cancellationToken);
    }

    public async Task<UserRecord?> GetUserAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
    }

    /// <summary>Users, of one tenant when <paramref name="tenantId"/> is given.</summary>
    public async Task<IReadOnlyList<UserRecord>> ListUsersAsync(string? tenantId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var query = tenantId is null ? db.Users : db.Users.Where(u => u.TenantId == tenantId);
        return await query.OrderBy(u => u.Name).ToListAsync(cancellationToken);
    }

    /// <summary>Makes a user with its first keys; null when the name is taken.</summary>
    public async Task<UserRecord?> CreateUserAsync(
        string name, string? tenantId, Role role, IReadOnlyList<string> keys, long nowMs, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        if (await db.Users.AnyAsync(u => u.Name == name, cancellationToken))
        {
            return null;
        }

        var user = new UserRecord { Id = Ids.New(), Name = name, TenantId = tenantId, Role = Roles.Name(role), CreatedMs = nowMs };
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken); // the keys refer to it: EF knows no relationship to order the inserts by
        }
        catch (DbUpdateException)
        {
            return null; // another manager made one of that name meanwhile (the unique index)
        }

        foreach (var key in keys.DistinctBy(SshKeyFingerprint.Of))
        {
            db.UserKeys.Add(NewKey(user.Id, KeyName(key, db.UserKeys.Local.Where(k => k.UserId == user.Id).Select(k => k.Name)), key, nowMs));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return user;
    }

    /// <summary>Makes the site's first provider when there is no user of that name; the user either way.</summary>
    public async Task<UserRecord> EnsureProviderAsync(string name, long nowMs, CancellationToken cancellationToken) =>
        await CreateUserAsync(name, null, Role.Provider, [], nowMs, cancellationToken)
        ?? await FindUserAsync(name, cancellationToken)
        ?? throw new InvalidOperationException($"user {name} vanished while being made");

    /// <summary>Sets a user's role; null when there is no such user, or (given <paramref name="expectedVersion"/>) it has changed since.</summary>
    public async Task<UserRecord?> SetRoleAsync(string name, Role role, CancellationToken cancellationToken, long? expectedVersion = null)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var user = await db.Users.AsTracking().FirstOrDefaultAsync(u => u.Name == name, cancellationToken);
        if (user is null || (expectedVersion is { } expected && user.Version != expected))
        {
            return null;
        }

        user.Role = Roles.Name(role);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return user;
    }

    /// <summary>Sets (or, with null, removes) a user's password hash; false when there is no such user.</summary>
    public async Task<bool> SetPasswordHashAsync(string userId, string? hash, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.PasswordHash, hash).SetProperty(x => x.Version, x => x.Version + 1), cancellationToken) > 0;
    }

    /// <summary>Removes a user, its keys and its tokens (its clusters stay its tenant's); false when there was none.</summary>
    public async Task<bool> DeleteUserAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        await db.Tokens.Where(t => t.UserId == id).ExecuteDeleteAsync(cancellationToken);
        await db.UserKeys.Where(k => k.UserId == id).ExecuteDeleteAsync(cancellationToken);
        var removed = await db.Users.Where(u => u.Id == id).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return removed > 0;
    }

    public async Task<IReadOnlyList<UserKeyRecord>> ListKeysAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.UserKeys.Where(k => k.UserId == userId).OrderBy(k => k.Name).ToListAsync(cancellationToken);
    }

    /// <summary>The keys of several users, for a cluster that carries them.</summary>
    public async Task<IReadOnlyList<string>> PublicKeysAsync(IReadOnlyList<string> userIds, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.UserKeys.Where(k => userIds.Contains(k.UserId)).OrderBy(k => k.CreatedMs).Select(k => k.PublicKey).ToListAsync(cancellationToken);
    }

    /// <summary>Adds a key (named by its comment, else by its fingerprint, unless named); null when the user has it already.</summary>
    public async Task<UserKeyRecord?> AddKeyAsync(string userId, string? name, string publicKey, long nowMs, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var fingerprint = SshKeyFingerprint.Of(publicKey);
        var names = await db.UserKeys.Where(k => k.UserId == userId).Select(k => k.Name).ToListAsync(cancellationToken);
        if (await db.UserKeys.AnyAsync(k => k.UserId == userId && k.Fingerprint == fingerprint, cancellationToken)
            || (name is not null && names.Contains(name)))
        {
            return null;
        }

        var key = NewKey(userId, name ?? KeyName(publicKey, names), publicKey, nowMs);
        db.UserKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return key;
    }

    /// <summary>Removes one of a user's keys by name or fingerprint; false when it has none such.</summary>
    public async Task<bool> RemoveKeyAsync(string userId, string nameOrFingerprint, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var removed = await db.UserKeys
            .Where(k => k.UserId == userId && (k.Name == nameOrFingerprint || k.Fingerprint == nameOrFingerprint))
            .ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return removed > 0;
    }

    private static UserKeyRecord NewKey(string userId, string name, string publicKey, long nowMs) => new()
    {
        Id = Ids.New(),
        UserId = userId,
        Name = name,
        PublicKey = publicKey,
        Fingerprint = SshKeyFingerprint.Of(publicKey),
        CreatedMs = nowMs,
    };

    /// <summary>The key's comment when it has a usable one not taken yet, else its fingerprint's start.</summary>
    private static string KeyName(string publicKey, IEnumerable<string> taken)
    {
        var parts = publicKey.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        var comment = parts.Length == 3 ? parts[2].Trim() : "";
        var takenSet = taken.ToHashSet(StringComparer.Ordinal);
        if (comment.Length is > 0 and <= 63 && AccountName.IsValid(comment.ToLowerInvariant().Replace('@', '.')) && !takenSet.Contains(comment))
        {
            return comment;
        }

        var fingerprint = SshKeyFingerprint.Of(publicKey);
        return "key-" + fingerprint["SHA256:".Length..][..8];
    }
}
