using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Clusters;
using Vcm.Domain.Moves;
using Vcm.Domain.Scheduling;

namespace Vcm.Store.Hosts;

/// <summary>Reads for draining and consolidating hosts: what live clusters have on which host.</summary>
public sealed class DrainStore(Database database)
{
    /// <summary>The live clusters' nodes on the site's hosts (all of them, or those of <paramref name="hostIds"/>).</summary>
    public async Task<IReadOnlyList<PlacedNode>> NodesAsync(string siteId, IReadOnlyCollection<string>? hostIds, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var query =
            from n in db.Nodes
            join c in db.Clusters on n.ClusterId equals c.Id
            join h in db.Hosts on n.HostId equals h.Id
            where c.ActiveName != null && h.SiteId == siteId
            select new { n.HostId, n.ClusterId, c.Name, c.Phase, c.DeletionRequestedMs, c.EndMs, c.Spec, Node = n.Name, n.State, n.Idx, Part = c.HomeSite != null };
        if (hostIds is not null)
        {
            var ids = hostIds.ToList();
            query = query.Where(x => ids.Contains(x.HostId!));
        }

        var rows = await query.ToListAsync(cancellationToken);
        var clusterIds = rows.Select(r => r.ClusterId).Distinct().ToList();
        var moving = (await db.Migrations.Where(m => clusterIds.Contains(m.ClusterId) && MigrationStates.Active.Contains(m.State))
            .Select(m => new { m.ClusterId, m.Node }).ToListAsync(cancellationToken)).Select(m => (m.ClusterId, m.Node)).ToHashSet();
        var failed = (await db.Migrations.Where(m => clusterIds.Contains(m.ClusterId) && m.State == MigrationState.Failed && m.EndedMs != null)
            .GroupBy(m => new { m.ClusterId, m.Node }).Select(g => new { g.Key.ClusterId, g.Key.Node, Last = g.Max(m => m.EndedMs!.Value) })
            .ToListAsync(cancellationToken)).ToDictionary(m => (m.ClusterId, m.Node), m => m.Last);
        var spanning = (await db.Nodes.Where(n => clusterIds.Contains(n.ClusterId) && n.HostId == null).Select(n => n.ClusterId).Distinct().ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        return rows
            .OrderBy(r => r.HostId, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Idx)
            .Select(r => new PlacedNode(
                r.HostId!, r.ClusterId, r.Name, r.Phase, r.DeletionRequestedMs is not null, r.EndMs, Resources.Of(r.Spec.Cpus, r.Spec.Memory, r.Spec.Disk),
                r.Node, r.State, moving.Contains((r.ClusterId, r.Node)), r.Part || spanning.Contains(r.ClusterId),
                failed.TryGetValue((r.ClusterId, r.Node), out var last) ? last : null))
            .ToList();
    }

    /// <summary>How many active migrations each host is the source of.</summary>
    public async Task<IReadOnlyDictionary<string, int>> MigratingFromAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var counts = await db.Migrations.Where(m => MigrationStates.Active.Contains(m.State) && m.FromHostId != null).GroupBy(m => m.FromHostId)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return counts.ToDictionary(x => x.Key!, x => x.Count, StringComparer.Ordinal);
    }

    /// <summary>How many active migrations each host is the source or the destination of.</summary>
    public async Task<IReadOnlyDictionary<string, int>> BusyAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var active = await db.Migrations.Where(m => MigrationStates.Active.Contains(m.State)).Select(m => new { m.FromHostId, m.ToHostId }).ToListAsync(cancellationToken);
        return active.SelectMany(m => new[] { m.FromHostId, m.ToHostId }).OfType<string>().GroupBy(h => h).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    /// <summary>What each host of the site holds of live clusters: the nodes of started ones, and what does not move live (hosts that hold nothing are left out).</summary>
    public async Task<IReadOnlyDictionary<string, HostHoldings>> HoldingsAsync(string siteId, CancellationToken cancellationToken)
    {
        var nodes = await NodesAsync(siteId, null, cancellationToken);
        await using var db = database.CreateContext();
        var clusters = await db.Clusters.Where(c => c.SiteId == siteId && c.ActiveName != null && (c.GatewayHostId != null || c.StorageHostId != null))
            .Select(c => new { c.Name, c.Phase, c.GatewayHostId, c.StorageHostId }).ToListAsync(cancellationToken);
        var fixedBy = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Note(string? hostId, string what)
        {
            if (hostId is not null)
            {
                (fixedBy.TryGetValue(hostId, out var list) ? list : fixedBy[hostId] = []).Add(what);
            }
        }

        foreach (var c in clusters.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var scheduled = c.Phase == ClusterPhase.Scheduled;
            Note(c.GatewayHostId, scheduled ? $"the gateway of reservation {c.Name}" : $"the gateway of cluster {c.Name} (does not move live)");
            Note(c.StorageHostId, scheduled ? $"the shared volume of reservation {c.Name}" : $"the shared volume of cluster {c.Name} (does not move live)");
        }

        foreach (var g in nodes.Where(n => n.Phase == ClusterPhase.Scheduled).GroupBy(n => (n.HostId, n.Cluster)))
        {
            Note(g.Key.HostId, $"{g.Count()} node{(g.Count() == 1 ? "" : "s")} of reservation {g.Key.Cluster}");
        }

        var counts = nodes.Where(n => n.Phase != ClusterPhase.Scheduled).GroupBy(n => n.HostId).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return counts.Keys.Union(fixedBy.Keys).ToDictionary(
            h => h, h => new HostHoldings(h, counts.GetValueOrDefault(h), fixedBy.GetValueOrDefault(h) ?? []), StringComparer.Ordinal);
    }
}
