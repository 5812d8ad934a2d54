using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Clusters;
using Vcm.Store.Sites;

namespace Vcm.Store.Clusters;

/// <summary>Statements that take a cluster's rows away, run in the caller's write transaction.</summary>
internal static class ClusterRemoval
{
    /// <summary>Frees a cluster's capacity, bumping its site's calendar version with it.</summary>
    public static async Task<int> FreeClaimsAsync(VcmDbContext db, string clusterId, string siteId, CancellationToken cancellationToken)
    {
        var freed = await db.Claims.Where(c => c.ClusterId == clusterId).ExecuteDeleteAsync(cancellationToken);
        await CalendarVersion.BumpAsync(db, siteId, cancellationToken);
        return freed;
    }

    /// <summary>
    /// Deletes a cluster and everything of it — only while nothing of it can have been built (Scheduled, no VNI),
    /// checked in the same transaction. False when it had begun (then it must be released instead) or was gone.
    /// </summary>
    public static async Task<bool> DeleteUnbuiltAsync(VcmDbContext db, string clusterId, CancellationToken cancellationToken)
    {
        var siteId = await db.Clusters.Where(c => c.Id == clusterId && c.Phase == ClusterPhase.Scheduled && c.ActiveVni == null)
            .Select(c => c.SiteId).FirstOrDefaultAsync(cancellationToken);
        if (siteId is null)
        {
            return false;
        }

        await db.ClusterParts.Where(p => p.ClusterId == clusterId).ExecuteDeleteAsync(cancellationToken);
        await db.Events.Where(e => e.ClusterId == clusterId).ExecuteDeleteAsync(cancellationToken);
        await db.Nodes.Where(n => n.ClusterId == clusterId).ExecuteDeleteAsync(cancellationToken);
        await FreeClaimsAsync(db, clusterId, siteId, cancellationToken);
        await db.Clusters.Where(c => c.Id == clusterId).ExecuteDeleteAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Deletes nodes a shrink released (their host objects are gone) and gives back their capacity: each node's share
    /// (<paramref name="perNode"/>) is taken off a claim of the cluster on its host — the latest-starting one that
    /// holds a node's share, so a grown node's claim goes first — and a claim left empty is deleted. Bumps the site's calendar version.
    /// </summary>
    public static async Task RemoveNodesAsync(
        VcmDbContext db, string clusterId, string siteId, IReadOnlyList<(string Name, string? HostId)> nodes, Domain.Scheduling.Resources perNode,
        CancellationToken cancellationToken)
    {
        var names = nodes.Select(n => n.Name).ToList();
        await db.Nodes.Where(n => n.ClusterId == clusterId && names.Contains(n.Name)).ExecuteDeleteAsync(cancellationToken);
        var claims = await db.Claims.AsTracking().Where(c => c.ClusterId == clusterId).ToListAsync(cancellationToken);
        foreach (var hostId in nodes.Select(n => n.HostId).OfType<string>())
        {
            var claim = claims.Where(c => c.HostId == hostId && c.Cpus >= perNode.Cpus && c.MemoryMb >= perNode.MemoryMb && c.DiskMb >= perNode.DiskMb)
                .OrderByDescending(c => c.StartMs).FirstOrDefault();
            if (claim is null)
            {
                continue;
            }

            claim.Cpus -= perNode.Cpus;
            claim.MemoryMb -= perNode.MemoryMb;
            claim.DiskMb -= perNode.DiskMb;
            if (claim is { Cpus: 0, MemoryMb: 0, DiskMb: 0 })
            {
                db.Claims.Remove(claim);
                claims.Remove(claim);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await CalendarVersion.BumpAsync(db, siteId, cancellationToken);
    }
}
