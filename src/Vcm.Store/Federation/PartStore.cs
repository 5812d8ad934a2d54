using Microsoft.EntityFrameworkCore;
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

    /// <summary>Saves changed part rows, each checking the version it was read at.</summary>
    public async Task SaveAsync(IEnumerable<ClusterPartRecord> parts, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        foreach (var part in parts)
        {
            db.ClusterParts.Attach(part);
            db.Entry(part).State = EntityState.Modified;
        }

        await db.SaveChangesAsync(cancellationToken);
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
        var siteId = await db.Clusters.Where(c => c.Id == clusterId && c.Phase == "Scheduled" && c.ActiveVni == null)
            .Select(c => c.SiteId).FirstOrDefaultAsync(cancellationToken);
        if (siteId is null)
        {
            return false;
        }

        await db.ClusterParts.Where(p => p.ClusterId == clusterId).ExecuteDeleteAsync(cancellationToken);
        await db.Events.Where(e => e.ClusterId == clusterId).ExecuteDeleteAsync(cancellationToken);
        await db.Nodes.Where(n => n.ClusterId == clusterId).ExecuteDeleteAsync(cancellationToken);
        await Clusters.ClusterStore.FreeClaimsAsync(db, clusterId, siteId, cancellationToken);
        await db.Clusters.Where(c => c.Id == clusterId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
