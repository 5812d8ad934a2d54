using Microsoft.EntityFrameworkCore;
using Vcm.Store.Records;

namespace Vcm.Store.Clusters;

/// <summary>
/// One reconcile's unit of work on one cluster: the cluster row (tracked), its nodes and parts as they were read,
/// and everything the reconcile decides — the cluster row's and parts' changes, node observations, events, claims
/// freed — written in one transaction by <see cref="CommitAsync"/>, once. The cluster row's version is checked in
/// that transaction: when someone changed the cluster meanwhile, nothing of the pass is written and
/// <see cref="DbUpdateConcurrencyException"/> says so. Reads that a decision depends on (free VNIs, free addresses)
/// can be made inside the transaction by beginning it early with <see cref="LockSiteAsync"/>.
/// </summary>
public sealed class ClusterSession : IAsyncDisposable
{
    private readonly VcmDbContext _db;
    private readonly bool _postgres;
    private readonly Dictionary<string, NodeObservation> _observations = new(StringComparer.Ordinal);
    private WriteTransaction? _transaction;
    private IReadOnlyList<NodeRecord>? _nodes;
    private IReadOnlyList<ClusterPartRecord>? _parts;
    private IReadOnlyList<MigrationRecord>? _migrations;
    private bool _deleted;

    private ClusterSession(VcmDbContext db, bool postgres, ClusterRecord cluster)
    {
        _db = db;
        _postgres = postgres;
        Cluster = cluster;
    }

    /// <summary>The cluster as read; changes to it are written at commit.</summary>
    public ClusterRecord Cluster { get; }

    /// <summary>Whether the pass has anything to write.</summary>
    public bool HasChanges => _deleted || _transaction is not null || _observations.Count > 0 || _db.ChangeTracker.HasChanges();

    /// <summary>Opens a session on the cluster; null when there is no such cluster.</summary>
    public static async Task<ClusterSession?> OpenAsync(Database database, string clusterId, CancellationToken cancellationToken)
    {
        var db = database.CreateContext();
        try
        {
            var cluster = await db.Clusters.AsTracking().FirstOrDefaultAsync(c => c.Id == clusterId, cancellationToken);
            if (cluster is null)
            {
                await db.DisposeAsync();
                return null;
            }

            return new ClusterSession(db, database.IsPostgres, cluster);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>The cluster's nodes as they were read (head first); what this pass observes is in <see cref="Observed"/>.</summary>
    public async Task<IReadOnlyList<NodeRecord>> NodesAsync(CancellationToken cancellationToken) =>
        _nodes ??= await _db.Nodes.Where(n => n.ClusterId == Cluster.Id).OrderBy(n => n.Idx).ToListAsync(cancellationToken);

    /// <summary>At a cluster's home: its parts at other sites (tracked; changes are written at commit).</summary>
    public async Task<IReadOnlyList<ClusterPartRecord>> PartsAsync(CancellationToken cancellationToken) =>
        _parts ??= await _db.ClusterParts.AsTracking().Where(p => p.ClusterId == Cluster.Id).OrderBy(p => p.Site).ToListAsync(cancellationToken);

    /// <summary>The cluster's migrations that still have work to do, oldest first (tracked; changes are written at commit).</summary>
    public async Task<IReadOnlyList<MigrationRecord>> ActiveMigrationsAsync(CancellationToken cancellationToken) =>
        _migrations ??= await _db.Migrations.AsTracking()
            .Where(m => m.ClusterId == Cluster.Id && Domain.Moves.MigrationStates.Active.Contains(m.State))
            .OrderBy(m => m.RequestedMs).ThenBy(m => m.Id).ToListAsync(cancellationToken);

    /// <summary>
    /// Records a switched-over migration's node on its new host and gives back its share of the old host from
    /// <paramref name="at"/> on, in the pass's transaction (see <see cref="Moves.NodeMoves.MoveAsync"/>).
    /// </summary>
    public async Task MoveNodeAsync(MigrationRecord migration, Domain.Scheduling.Resources perNode, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await BeginAsync(cancellationToken);
        await Moves.NodeMoves.MoveAsync(_db, Cluster.SiteId, migration, perNode, at, cancellationToken);
        if (_nodes?.FirstOrDefault(n => n.Name == migration.Node) is { } moved)
        {
            moved.HostId = migration.ToHostId; // as read (untracked): the row itself was written above
            if (migration.ToSite is { } site)
            {
                moved.Site = site;
                moved.RemoteHost = migration.RemoteHost;
            }
        }
    }

    /// <summary>Adds a node that arrived from another site by a live migration, in the pass's transaction.</summary>
    public async Task AddNodeAsync(NodeRecord node, CancellationToken cancellationToken)
    {
        await BeginAsync(cancellationToken);
        _db.Nodes.Add(node);
        await _db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Frees what a given-up migration held on its destination, in the pass's transaction.</summary>
    public async Task FreeDestinationAsync(MigrationRecord migration, CancellationToken cancellationToken)
    {
        await BeginAsync(cancellationToken);
        await Moves.NodeMoves.FreeDestinationAsync(_db, Cluster.SiteId, migration, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, HostRecord>> HostsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var list = ids.ToList();
        return await _db.Hosts.Where(h => list.Contains(h.Id)).ToDictionaryAsync(h => h.Id, StringComparer.Ordinal, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, AgentRecord>> AgentsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var list = ids.ToList();
        return await _db.Agents.Where(a => list.Contains(a.Id)).ToDictionaryAsync(a => a.Id, StringComparer.Ordinal, cancellationToken);
    }

    /// <summary>Records what this pass saw of a node (a later observation of the same node replaces an earlier one).</summary>
    public void Observe(NodeObservation observation) => _observations[observation.Name] = observation;

    /// <summary>What this pass saw of a node, if anything.</summary>
    public NodeObservation? Observed(string node) => _observations.GetValueOrDefault(node);

    public void Add(EventRecord record) => _db.Events.Add(record);

    /// <summary>A node's install at boot, written with the rest of the pass.</summary>
    public void Add(InstallSampleRecord record) => _db.InstallSamples.Add(record);

    /// <summary>
    /// Begins the pass's write transaction now, so that what is read next and what is written at commit are one
    /// atomic step; on PostgreSQL the site's row is locked too, which orders this with other managers' such steps.
    /// </summary>
    public async Task LockSiteAsync(CancellationToken cancellationToken)
    {
        await BeginAsync(cancellationToken);
        if (_postgres)
        {
            await _db.Database.ExecuteSqlAsync($"SELECT 1 FROM sites WHERE id = {Cluster.SiteId} FOR UPDATE", cancellationToken);
        }
    }

    /// <summary>The VNIs the site's live clusters hold (read in the pass's transaction when it has begun).</summary>
    public async Task<IReadOnlySet<int>> UsedVnisAsync(CancellationToken cancellationToken) =>
        (await _db.Clusters.Where(c => c.SiteId == Cluster.SiteId && c.ActiveVni != null).Select(c => c.ActiveVni!.Value).ToListAsync(cancellationToken)).ToHashSet();

    /// <summary>The external addresses the site's live clusters hold.</summary>
    public async Task<IReadOnlySet<string>> UsedExternalIpsAsync(CancellationToken cancellationToken) =>
        (await _db.Clusters.Where(c => c.SiteId == Cluster.SiteId && c.ActiveExternalIp != null).Select(c => c.ActiveExternalIp!).ToListAsync(cancellationToken))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>Frees the cluster's capacity (and bumps its site's calendar version) in the pass's transaction.</summary>
    public async Task FreeClaimsAsync(CancellationToken cancellationToken)
    {
        await BeginAsync(cancellationToken);
        await ClusterRemoval.FreeClaimsAsync(_db, Cluster.Id, Cluster.SiteId, cancellationToken);
    }

    /// <summary>Deletes nodes a shrink released, once nothing of them is left on their hosts, and frees their capacity (see <see cref="ClusterRemoval.RemoveNodesAsync"/>).</summary>
    public async Task RemoveNodesAsync(IReadOnlyList<NodeRecord> nodes, Domain.Scheduling.Resources perNode, CancellationToken cancellationToken)
    {
        await BeginAsync(cancellationToken);
        await ClusterRemoval.RemoveNodesAsync(_db, Cluster.Id, Cluster.SiteId, nodes.Select(n => (n.Name, n.HostId)).ToList(), perNode, cancellationToken);
        _nodes = _nodes?.Where(n => !nodes.Any(r => r.Name == n.Name)).ToList();
    }

    /// <summary>Deletes the cluster outright while nothing of it is built (see <see cref="ClusterRemoval.DeleteUnbuiltAsync"/>).</summary>
    public async Task<bool> DeleteUnbuiltAsync(CancellationToken cancellationToken)
    {
        await BeginAsync(cancellationToken);
        _deleted = await ClusterRemoval.DeleteUnbuiltAsync(_db, Cluster.Id, cancellationToken);
        if (_deleted)
        {
            _db.ChangeTracker.Clear();
        }

        return _deleted;
    }

    /// <summary>
    /// Writes everything the pass decided in one transaction and commits it. Throws
    /// <see cref="DbUpdateConcurrencyException"/> (nothing written) when the cluster or a part changed since it was read.
    /// </summary>
    public async Task CommitAsync(long nowMs, CancellationToken cancellationToken)
    {
        if (!HasChanges)
        {
            return;
        }

        var transaction = await BeginAsync(cancellationToken);
        if (!_deleted)
        {
            if (_observations.Count > 0)
            {
                var nodes = await NodesAsync(cancellationToken);
                await NodeWrites.ApplyAsync(_db.Database.GetDbConnection(), transaction.DbTransaction, Cluster.Id, nodes.Count, _observations.Values, cancellationToken);
            }

            // The cluster row is written whenever anything is, so its version check guards every write of the pass.
            Cluster.UpdatedMs = nowMs;
            _db.Entry(Cluster).Property(c => c.UpdatedMs).IsModified = true;
            await _db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        _observations.Clear();
    }

    private async Task<WriteTransaction> BeginAsync(CancellationToken cancellationToken) =>
        _transaction ??= await _db.BeginWriteAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
        }

        await _db.DisposeAsync();
    }
}
