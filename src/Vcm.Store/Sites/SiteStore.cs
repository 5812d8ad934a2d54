using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Common;
using Vcm.Store.Records;

namespace Vcm.Store.Sites;

public sealed class SiteStore(Database database)
{
    /// <summary>The site this manager runs, made on first start; its name and VNI range follow the configuration.</summary>
    public Task<SiteRecord> EnsureLocalAsync(string name, int vniFirst, int vniLast, CancellationToken cancellationToken) =>
        EnsureLocalAsync(new SiteRecord { Id = "", Name = name, VniFirst = vniFirst, VniLast = vniLast, SubnetPool = "10.0.0.0/8" }, cancellationToken);

    /// <summary>Makes or updates the local site from the configuration: name, VNI range, external network, subnet pool.</summary>
    public async Task<SiteRecord> EnsureLocalAsync(SiteRecord wanted, CancellationToken cancellationToken)
    {
        var (name, vniFirst, vniLast) = (wanted.Name, wanted.VniFirst, wanted.VniLast);
        await using var db = database.CreateContext();
        var site = await db.Sites.AsTracking().FirstOrDefaultAsync(s => s.IsLocal, cancellationToken);
        if (site is null)
        {
            site = new SiteRecord { Id = Ids.New(), Name = name, IsLocal = true, VniFirst = vniFirst, VniLast = vniLast, Version = 1 };
            db.Sites.Add(site);
        }

        site.Name = name;
        site.VniFirst = vniFirst;
        site.VniLast = vniLast;
        site.ExternalSubnet = wanted.ExternalSubnet;
        site.ExternalRouter = wanted.ExternalRouter;
        site.ExternalBridge = wanted.ExternalBridge;
        site.ExternalNetns = wanted.ExternalNetns;
        site.SubnetPool = wanted.SubnetPool;

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (db.ChangeTracker.Entries<SiteRecord>().Any(e => e.State == EntityState.Added))
        {
            // another manager of the same site made it first
            await using var again = database.CreateContext();
            return await again.Sites.FirstAsync(s => s.IsLocal, cancellationToken);
        }

        return site;
    }

    /// <summary>This site's record (with its limits).</summary>
    public async Task<SiteRecord> GetLocalAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Sites.FirstAsync(s => s.IsLocal, cancellationToken);
    }

    /// <summary>This site's reservation limits, as admission applies them.</summary>
    public static Domain.Clusters.SiteLimits LimitsOf(SiteRecord site) => new(
        site.MaxLeaseMs is { } lease ? TimeSpan.FromMilliseconds(lease) : null,
        site.MaxAdvanceMs is { } advance ? TimeSpan.FromMilliseconds(advance) : null,
        site.MaxExtensions)
    {
        MaxOccurrences = site.MaxOccurrences ?? Domain.Clusters.SiteLimits.DefaultMaxOccurrences,
    };

    /// <summary>Sets this site's reservation limits (null: none).</summary>
    public async Task<SiteRecord> SetLimitsAsync(long? maxLeaseMs, long? maxAdvanceMs, int? maxOccurrences, int? maxExtensions, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var site = await db.Sites.AsTracking().FirstAsync(s => s.IsLocal, cancellationToken);
        site.MaxLeaseMs = maxLeaseMs;
        site.MaxAdvanceMs = maxAdvanceMs;
        site.MaxOccurrences = maxOccurrences;
        site.MaxExtensions = maxExtensions;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return site;
    }

    public async Task<IReadOnlyList<SiteRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Sites.OrderByDescending(s => s.IsLocal).ThenBy(s => s.Name).ToListAsync(cancellationToken);
    }

    /// <summary>Adds or updates the row of a peer site (its name and manager URL), so specs may name it.</summary>
    public async Task EnsurePeerAsync(string name, string url, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var site = await db.Sites.AsTracking().FirstOrDefaultAsync(s => s.Name == name && !s.IsLocal, cancellationToken);
        if (site is null)
        {
            db.Sites.Add(new SiteRecord { Id = Ids.New(), Name = name, Url = url, IsLocal = false, Version = 1 });
        }
        else
        {
            site.Url = url;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task RemovePeerAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        await db.Sites.Where(s => s.Name == name && !s.IsLocal).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>What a spec may name: the images this site has and the sites it knows (itself and its peers).</summary>
    public async Task<(IReadOnlySet<string> Images, IReadOnlySet<string> Sites)> CatalogAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var images = await db.Images.Select(i => i.Name).ToListAsync(cancellationToken);
        var sites = await db.Sites.Select(s => s.Name).ToListAsync(cancellationToken);
        return (images.ToHashSet(StringComparer.Ordinal), sites.ToHashSet(StringComparer.Ordinal));
    }
}
