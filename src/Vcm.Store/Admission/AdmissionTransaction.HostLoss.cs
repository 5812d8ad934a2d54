using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Clusters;
using Vcm.Domain.Scheduling;
using Vcm.Store.Moves;
using Vcm.Store.Records;

namespace Vcm.Store.Admission;

/// <summary>What a lost host held, read and moved elsewhere in the admission's transaction (issue 13, item 4).</summary>
public sealed partial class AdmissionTransaction
{
    private static readonly ClusterPhase[] Rebuilt = [ClusterPhase.Scheduled, ClusterPhase.Provisioning, ClusterPhase.Ready, ClusterPhase.Degraded];

    /// <summary>This site's host (tracked: a state set on it is written by <see cref="SaveAsync"/>).</summary>
    public Task<HostRecord?> TrackedHostAsync(string id, CancellationToken cancellationToken) =>
        _db.Hosts.AsTracking().FirstOrDefaultAsync(h => h.Id == id && h.SiteId == _siteId, cancellationToken);

    /// <summary>
    /// The clusters still to be built or running that hold something on the host — a node, the gateway, the shared
    /// volume — with those nodes; all tracked. Clusters being released or failed are left out: their release skips a
    /// dead host.
    /// </summary>
    public async Task<(IReadOnlyList<ClusterRecord> Clusters, IReadOnlyList<NodeRecord> Nodes)> HeldOnAsync(string hostId, CancellationToken cancellationToken)
    {
        var clusters = await HeldClusters(_db, hostId).AsTracking().OrderBy(c => c.StartMs).ThenBy(c => c.Id).ToListAsync(cancellationToken);
        var ids = clusters.Select(c => c.Id).ToList();
        var nodes = await _db.Nodes.AsTracking()
            .Where(n => n.HostId == hostId && ids.Contains(n.ClusterId) && n.State != NodeState.Released && n.State != NodeState.Removing)
            .OrderBy(n => n.ClusterId).ThenBy(n => n.Idx).ToListAsync(cancellationToken);
        return (clusters, nodes);
    }

    /// <summary>The clusters still to be built or running that hold a node, the gateway or the shared volume on the host.</summary>
    internal static IQueryable<ClusterRecord> HeldClusters(VcmDbContext db, string hostId) =>
        db.Clusters.Where(c => Rebuilt.Contains(c.Phase) && (c.GatewayHostId == hostId || c.StorageHostId == hostId
            || db.Nodes.Any(n => n.ClusterId == c.Id && n.HostId == hostId && n.State != NodeState.Released && n.State != NodeState.Removing)));

    /// <summary>The active migrations (tracked) that come from or go to the host.</summary>
    public async Task<IReadOnlyList<MigrationRecord>> MigrationsTouchingAsync(string hostId, CancellationToken cancellationToken) =>
        await _db.Migrations.AsTracking()
            .Where(m => (m.FromHostId == hostId || m.ToHostId == hostId) && Domain.Moves.MigrationStates.Active.Contains(m.State))
            .ToListAsync(cancellationToken);

    /// <summary>
    /// Moves <paramref name="amount"/> of a cluster's capacity from one host to another for [<paramref name="from"/>,
    /// <paramref name="to"/>): the source's claims give it back from then on (<see cref="Domain.Moves.NodeMove.Release"/>),
    /// the destination gets a claim of its own. Written by <see cref="SaveAsync"/>.
    /// </summary>
    public Task MoveCapacityAsync(
        string clusterId, string fromHostId, string toHostId, Resources amount, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        NodeMoves.MoveCapacityAsync(_db, clusterId, fromHostId, toHostId, amount, from, to, cancellationToken);

    /// <summary>Frees a claim (a dead host's side of a migration that will not happen).</summary>
    public Task FreeClaimAsync(string claimId, CancellationToken cancellationToken) =>
        _db.Claims.Where(c => c.Id == claimId).ExecuteDeleteAsync(cancellationToken);

    /// <summary>Those of the clusters that have parts at other sites (a VPN ends on their gateway's host).</summary>
    public async Task<IReadOnlySet<string>> WithPartsAsync(IReadOnlyList<string> clusterIds, CancellationToken cancellationToken) =>
        (await _db.ClusterParts.Where(p => clusterIds.Contains(p.ClusterId)).Select(p => p.ClusterId).Distinct().ToListAsync(cancellationToken)).ToHashSet();
}
