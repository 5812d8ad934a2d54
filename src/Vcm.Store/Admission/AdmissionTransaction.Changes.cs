using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Clusters;
using Vcm.Store.Records;

namespace Vcm.Store.Admission;

/// <summary>Changes to an admitted cluster — an extension, a resize — read and written in the admission's transaction.</summary>
public sealed partial class AdmissionTransaction
{
    /// <summary>The live cluster of this site with that name (tracked: changes to it are written by <see cref="SaveAsync"/>).</summary>
    public Task<ClusterRecord?> LiveClusterAsync(string name, CancellationToken cancellationToken) =>
        _db.Clusters.AsTracking().FirstOrDefaultAsync(c => c.ActiveName == name && c.SiteId == _siteId, cancellationToken);

    /// <summary>The cluster's claims (tracked).</summary>
    public async Task<IReadOnlyList<ClaimRecord>> ClaimsOfAsync(string clusterId, CancellationToken cancellationToken) =>
        await _db.Claims.AsTracking().Where(c => c.ClusterId == clusterId).OrderBy(c => c.StartMs).ThenBy(c => c.HostId).ToListAsync(cancellationToken);

    /// <summary>The cluster's nodes, in index order.</summary>
    public async Task<IReadOnlyList<NodeRecord>> NodesOfAsync(string clusterId, CancellationToken cancellationToken) =>
        await _db.Nodes.Where(n => n.ClusterId == clusterId).OrderBy(n => n.Idx).ToListAsync(cancellationToken);

    /// <summary>Adds a grown cluster's new nodes and their claims (not yet committed).</summary>
    public Task AddNodesAsync(IReadOnlyList<NodeRecord> nodes, IReadOnlyList<ClaimRecord> claims, CancellationToken cancellationToken) =>
        InsertRowsAsync(nodes, claims, cancellationToken);

    /// <summary>Marks nodes a shrink released: its controller removes them from their hosts, then their rows and capacity.</summary>
    public async Task MarkRemovingAsync(string clusterId, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        await _db.Nodes.Where(n => n.ClusterId == clusterId && names.Contains(n.Name))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.State, NodeState.Removing).SetProperty(n => n.Version, n => n.Version + 1), cancellationToken);
    }

    /// <summary>Deletes nodes of a cluster nothing of which is built yet, and gives back their capacity (see <see cref="Clusters.ClusterRemoval.RemoveNodesAsync"/>).</summary>
    public Task DeleteNodesAsync(
        string clusterId, IReadOnlyList<(string Name, string? HostId)> nodes, Domain.Scheduling.Resources perNode, CancellationToken cancellationToken) =>
        Clusters.ClusterRemoval.RemoveNodesAsync(_db, clusterId, _siteId, nodes, perNode, cancellationToken);

    public void Add(EventRecord record) => _db.Events.Add(record);

    /// <summary>A migration that holds no capacity here (one to another site: the peer holds it).</summary>
    public void Add(MigrationRecord migration) => _db.Migrations.Add(migration);

    /// <summary>A live migration with the claim that holds its destination's capacity (not yet committed).</summary>
    public void Add(MigrationRecord migration, ClaimRecord claim)
    {
        _db.Migrations.Add(migration);
        _db.Claims.Add(claim);
    }

    /// <summary>The node's migration that still has work to do, if any.</summary>
    public Task<MigrationRecord?> ActiveMigrationAsync(string clusterId, string node, CancellationToken cancellationToken) =>
        _db.Migrations.FirstOrDefaultAsync(m => m.ClusterId == clusterId && m.Node == node && Domain.Moves.MigrationStates.Active.Contains(m.State), cancellationToken);

    /// <summary>A migration by its id (tracked).</summary>
    public Task<MigrationRecord?> MigrationAsync(string id, CancellationToken cancellationToken) =>
        _db.Migrations.AsTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);

    /// <summary>At a cluster's home: its parts at other sites.</summary>
    public async Task<IReadOnlyList<ClusterPartRecord>> PartsOfAsync(string clusterId, CancellationToken cancellationToken) =>
        await _db.ClusterParts.Where(p => p.ClusterId == clusterId).OrderBy(p => p.Site).ToListAsync(cancellationToken);

    /// <summary>This site's host of that name, whatever its state.</summary>
    public Task<HostRecord?> HostNamedAsync(string name, CancellationToken cancellationToken) =>
        _db.Hosts.FirstOrDefaultAsync(h => h.SiteId == _siteId && h.Name == name, cancellationToken);

    /// <summary>Writes the tracked changes (the cluster row with its version check, claims, events); not yet committed.</summary>
    public async Task SaveAsync(CancellationToken cancellationToken) => await _db.SaveChangesAsync(cancellationToken);
}
