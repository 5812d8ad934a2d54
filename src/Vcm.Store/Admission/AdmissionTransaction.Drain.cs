using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Clusters;
using Vcm.Domain.Hosts;
using Vcm.Domain.Moves;
using Vcm.Store.Records;

namespace Vcm.Store.Admission;

/// <summary>A host's drain, read and written in the admission's transaction (so it plans against a calendar nobody else changes meanwhile).</summary>
public sealed partial class AdmissionTransaction
{
    /// <summary>Moves the host from one state to another; false when it was not in <paramref name="from"/> (nothing changed).</summary>
    public async Task<bool> SetHostStateAsync(string hostId, HostState from, HostState to, CancellationToken cancellationToken) =>
        await _db.Hosts.Where(h => h.Id == hostId && h.State == from)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.State, to).SetProperty(h => h.Version, h => h.Version + 1), cancellationToken) == 1;

    /// <summary>
    /// This site's live Scheduled clusters nothing of which is built yet that hold something on the host — nodes,
    /// claims, the gateway or the shared volume — tracked, so changes to them are written by <see cref="SaveAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<ClusterRecord>> ScheduledHoldingAsync(string hostId, CancellationToken cancellationToken) =>
        await _db.Clusters.AsTracking()
            .Where(c => c.SiteId == _siteId && c.ActiveName != null && c.Phase == ClusterPhase.Scheduled && c.ActiveVni == null && c.DeletionRequestedMs == null)
            .Where(c => c.GatewayHostId == hostId || c.StorageHostId == hostId
                || _db.Claims.Any(k => k.ClusterId == c.Id && k.HostId == hostId)
                || _db.Nodes.Any(n => n.ClusterId == c.Id && n.HostId == hostId))
            .OrderBy(c => c.StartMs).ThenBy(c => c.Name)
            .ToListAsync(cancellationToken);

    /// <summary>
    /// Records a future reservation re-planned off <paramref name="hostId"/>: its nodes there on their new hosts, its
    /// claims there replaced by <paramref name="claims"/> (not yet committed; the cluster row is the caller's to change).
    /// </summary>
    public async Task ReplanAsync(string clusterId, string hostId, IReadOnlyDictionary<string, string> nodeHosts, IReadOnlyList<ClaimRecord> claims, CancellationToken cancellationToken)
    {
        foreach (var (node, to) in nodeHosts)
        {
            await _db.Nodes.Where(n => n.ClusterId == clusterId && n.Name == node && n.HostId == hostId)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.HostId, to).SetProperty(n => n.Version, n => n.Version + 1), cancellationToken);
        }

        await _db.Claims.Where(k => k.ClusterId == clusterId && k.HostId == hostId).ExecuteDeleteAsync(cancellationToken);
        _db.Claims.AddRange(claims);
    }

    /// <summary>How many active migrations (<see cref="MigrationStates.Active"/>) each host is the source or the destination of.</summary>
    public async Task<IReadOnlyDictionary<string, int>> ActiveMigrationsPerHostAsync(CancellationToken cancellationToken)
    {
        var active = await _db.Migrations.Where(m => MigrationStates.Active.Contains(m.State)).Select(m => new { m.FromHostId, m.ToHostId }).ToListAsync(cancellationToken);
        return active.SelectMany(m => new[] { m.FromHostId, m.ToHostId }).OfType<string>().GroupBy(h => h).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }
}
