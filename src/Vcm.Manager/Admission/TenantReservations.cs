using Vcm.Domain.Clusters;
using Vcm.Domain.Tenancy;
using Vcm.Store.Tenancy;

namespace Vcm.Manager.Admission;

/// <summary>What a cluster holds of its tenant's quota: all its nodes (at every site) with their vCPUs and memory, and its shared volume, over its window.</summary>
public static class TenantReservations
{
    public static Reservation Of(ClusterSpec spec) => Of(spec, spec.Start, spec.End);

    /// <summary>A live cluster holds its whole window; a released one the part of it until it was released.</summary>
    public static Reservation Of(QuotaHolding cluster)
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(cluster.StartMs);
        var end = DateTimeOffset.FromUnixTimeMilliseconds(cluster.Live ? cluster.EndMs : Math.Min(cluster.EndMs, Math.Max(cluster.StartMs, cluster.PhaseSinceMs)));
        return Of(cluster.Spec, start, end);
    }

    public static IReadOnlyList<Reservation> Of(IEnumerable<QuotaHolding> clusters) => clusters.Select(Of).Where(r => r.End > r.Start).ToList();

    private static Reservation Of(ClusterSpec spec, DateTimeOffset start, DateTimeOffset end)
    {
        long nodes = spec.NodeCount;
        return new Reservation(start, end, nodes, nodes * spec.Cpus, nodes * spec.Memory.Mebibytes, spec.Shared?.Mebibytes ?? 0);
    }
}
