using Microsoft.EntityFrameworkCore;
using Vcm.Store.Records;

namespace Vcm.Store.Clusters;

/// <summary>Reads clusters and their nodes, and makes the few changes to a cluster row that come from outside its controller.</summary>
public sealed class ClusterStore(Database database)
{
    private const int Attempts = 5;

    /// <summary>Opens one reconcile's unit of work on a cluster; null when there is no such cluster.</summary>
    public Task<ClusterSession?> OpenSessionAsync(string id, CancellationToken cancellationToken) =>
        ClusterSession.OpenAsync(database, id, cancellationToken);

    public async Task<ClusterRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Clusters.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
    }

    /// <summary>The live cluster with this name, else the newest final one, else the cluster with this id.</summary>
    public async Task<ClusterRecord?> FindAsync(string nameOrId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Clusters.FirstOrDefaultAsync(c => c.ActiveName == nameOrId, cancellationToken)
            ?? await db.Clusters.Where(c => c.Name == nameOrId).OrderByDescending(c => c.CreatedMs).FirstOrDefaultAsync(cancellationToken)
            ?? await db.Clusters.FirstOrDefaultAsync(c => c.Id == nameOrId, cancellationToken);
    }

    /// <summary>The part this site builds for <paramref name="homeSite"/>'s cluster <paramref name="homeClusterId"/>, the newest if several.</summary>
    public async Task<ClusterRecord?> FindPartAsync(string homeSite, string homeClusterId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Clusters.Where(c => c.HomeSite == homeSite && c.HomeClusterId == homeClusterId)
            .OrderByDescending(c => c.CreatedMs).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<ClusterRecord?> FindByIdempotencyKeyAsync(string key, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Clusters.FirstOrDefaultAsync(c => c.IdempotencyKey == key, cancellationToken);
    }

    public async Task<bool> NameIsLiveAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Clusters.AnyAsync(c => c.ActiveName == name, cancellationToken);
    }

    /// <summary>Which of <paramref name="names"/> live clusters have.</summary>
    public async Task<IReadOnlySet<string>> LiveNamesAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var list = names.ToList();
        return (await db.Clusters.Where(c => c.ActiveName != null && list.Contains(c.ActiveName)).Select(c => c.ActiveName!).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>For each image or layer clusters booted from: how many did (all time) and how many of those are live.</summary>
    public async Task<IReadOnlyDictionary<string, (int All, int Live)>> ImageUsesAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var uses = await db.Clusters.Where(c => c.Layer != null)
            .GroupBy(c => c.Layer!)
            .Select(g => new { Image = g.Key, All = g.Count(), Live = g.Count(c => c.ActiveName != null) })
            .ToListAsync(cancellationToken);
        return uses.ToDictionary(u => u.Image, u => (u.All, u.Live), StringComparer.Ordinal);
    }

    /// <summary>Clusters, newest first; final ones only when asked.</summary>
    public async Task<IReadOnlyList<ClusterRecord>> ListAsync(bool includeFinal, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var query = db.Clusters.AsQueryable();
        if (!includeFinal)
        {
            query = query.Where(c => c.ActiveName != null);
        }

        return await query.OrderByDescending(c => c.CreatedMs).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The versions of the live clusters (<paramref name="ids"/> null), or of the clusters named (live or final; a
    /// removed one is missing): two columns, no spec read.
    /// </summary>
    public async Task<IReadOnlyList<ClusterVersion>> VersionsAsync(IReadOnlyCollection<string>? ids, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var query = ids is null ? db.Clusters.Where(c => c.ActiveName != null) : db.Clusters.Where(c => ids.Contains(c.Id));
        return await query.Select(c => new ClusterVersion(c.Id, c.Version, c.ActiveName != null)).ToListAsync(cancellationToken);
    }

    /// <summary>The clusters with these ids (any phase).</summary>
    public async Task<IReadOnlyList<ClusterRecord>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Clusters.Where(c => ids.Contains(c.Id)).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<NodeRecord>> GetNodesAsync(string clusterId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Nodes.Where(n => n.ClusterId == clusterId).OrderBy(n => n.Idx).ToListAsync(cancellationToken);
    }

    /// <summary>The subnets of the site's live clusters.</summary>
    public async Task<IReadOnlyList<string>> LiveSubnetsAsync(string siteId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Clusters.Where(c => c.SiteId == siteId && c.ActiveName != null).Select(c => c.Subnet).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Changes a cluster row: <paramref name="change"/> changes it and returns the events to write with the change, or
    /// returns null to leave it as it is. The version it was read at is checked, and it is read again when someone
    /// changed it meanwhile. Returns the row as it is now; null when there is none.
    /// </summary>
    public async Task<ClusterRecord?> UpdateAsync(
        string id, Func<ClusterRecord, IReadOnlyList<EventRecord>?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = database.CreateContext();
            var cluster = await db.Clusters.AsTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
            if (cluster is null || change(cluster) is not { } events)
            {
                return cluster;
            }

            db.Events.AddRange(events);
            try
            {
                await using var transaction = await db.BeginWriteAsync(cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return cluster;
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
                // changed meanwhile: read it again
            }
        }
    }

    /// <summary>Notes that the home renewed a part built here (no version bump: the part's controller does not mind).</summary>
    public async Task RenewAsync(string id, long nowMs, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        await db.Clusters.Where(c => c.Id == id).ExecuteUpdateAsync(u => u.SetProperty(c => c.RenewedMs, nowMs), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
