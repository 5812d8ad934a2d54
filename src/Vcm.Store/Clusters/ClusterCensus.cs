using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Clusters;
using Vcm.Domain.Naming;

namespace Vcm.Store.Clusters;

/// <summary>Counts for the manager's metrics, read outside any write: clusters by phase, and which VM is which node.</summary>
public sealed class ClusterCensus(Database database)
{
    /// <summary>How many clusters (and parts of other sites' clusters) are in each phase.</summary>
    public async Task<IReadOnlyDictionary<ClusterPhase, int>> PhasesAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Clusters.GroupBy(c => c.Phase).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
    }

    /// <summary>Each VM name of a live cluster's node, with the cluster's and the node's names.</summary>
    public async Task<IReadOnlyDictionary<string, (string Cluster, string Node)>> VmsAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var live = await (
            from n in db.Nodes
            join c in db.Clusters on n.ClusterId equals c.Id
            where c.Phase != ClusterPhase.Released && c.Phase != ClusterPhase.Rejected
            select new { c.Id, Cluster = c.Name, Node = n.Name }).ToListAsync(cancellationToken);
        return live.ToDictionary(n => HostObjectNames.Vm(n.Id, n.Node), n => (n.Cluster, n.Node), StringComparer.Ordinal);
    }
}
