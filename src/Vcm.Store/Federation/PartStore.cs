using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Federation;
using Vcm.Store.Clusters;
using Vcm.Store.Records;

namespace Vcm.Store.Federation;

/// <summary>At the home site: the parts of its clusters that other sites build.</summary>
public sealed class PartStore(Database database)
{
    public async Task<IReadOnlyList<ClusterPartRecord>> ForClusterAsync(string clusterId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.ClusterParts.Where(p => p.ClusterId == clusterId).OrderBy(p => p.Site).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Records that every part of a new cluster was admitted by its peer (the rows as changed by the caller, each
    /// checked against the version it was read at) and makes the cluster due at its start — one transaction.
    /// </summary>
    public async Task<ClusterRecord> SaveAdmittedAsync(
        string clusterId, IReadOnlyList<ClusterPartRecord> parts, long nowMs, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        foreach (var part in parts)
        {
            db.ClusterParts.Attach(part);
            db.Entry(part).State = EntityState.Modified;
        }

        var cluster = await db.Clusters.AsTracking().FirstAsync(c => c.Id == clusterId, cancellationToken);
        cluster.NextReconcileMs = Math.Max(nowMs, cluster.StartMs);
        cluster.UpdatedMs = nowMs;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return cluster;
    }

    /// <summary>
    /// Removes a cluster that was never admitted everywhere (its parts could not all be placed): its rows go, its
    /// capacity is freed — only while it has not begun to be built (Scheduled, no VNI), checked in the same
    /// transaction. False when it had begun (then it must be released instead) or was gone.
    /// </summary>
    public async Task<bool> DeleteUnbuiltAsync(string clusterId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        if (!await ClusterRemoval.DeleteUnbuiltAsync(db, clusterId, cancellationToken))
        {
            return false;
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Up to <paramref name="limit"/> live clusters that <paramref name="site"/> takes part in: as the home of a part here, or building a part of one of ours.</summary>
    public async Task<IReadOnlyList<string>> LiveClustersWithAsync(string site, int limit, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.ClusterParts.Where(p => p.Site == site && p.State != PartState.Released)
            .Join(db.Clusters.Where(c => c.ActiveName != null), p => p.ClusterId, c => c.Id, (_, c) => c.Name)
            .Concat(db.Clusters.Where(c => c.HomeSite == site && c.ActiveName != null).Select(c => c.Name))
            .Take(limit).ToListAsync(cancellationToken);
    }
}
