using Vcm.Domain.Clusters;
using Vcm.Domain.Scheduling;

namespace Vcm.Manager.Admission;

/// <summary>Placement of one site's share of a cluster against the site's calendar: pure, over a snapshot.</summary>
public static class SitePlacement
{
    /// <summary>
    /// Places <paramref name="nodes"/> of the spec here for its window. With <paramref name="exactStart"/> (a share of a
    /// cluster that spans sites: the other sites are asked for this very window) a later start that would fit is a refusal;
    /// with <paramref name="latestStart"/> (a flexible start) one up to that time is admitted (<see cref="Placement.Start"/>).
    /// </summary>
    public static AdmissionDecision Place(
        string clusterId, ClusterSpec spec, IReadOnlyList<NodeName> nodes, bool exactStart, CalendarCache.Snapshot snapshot, string siteName,
        DateTimeOffset? latestStart = null)
    {
        var request = PlacementRequest.For(spec) with { Nodes = nodes };
        if (exactStart || nodes.Count != spec.NodeCount)
        {
            request = request with { Sites = [] };
        }

        var decision = Scheduler.Admit(clusterId, request, snapshot.Hosts, snapshot.Calendar, exactStart ? null : latestStart);
        return decision.Admitted && exactStart && decision.Placement!.Claims.Any(c => c.Start != spec.Start)
            ? AdmissionDecision.Refuse($"site {siteName} has no room for {nodes.Count} nodes at {spec.Start:u}", null)
            : decision;
    }

    /// <summary>
    /// The largest head of the node list (at least one node) that fits here for the spec's window, the rest left
    /// to <paramref name="peer"/>; all of it here (to be refused with the reason) when not even one node fits.
    /// </summary>
    public static Split Spill(ClusterSpec spec, CalendarCache.Snapshot snapshot, string peer, string siteName)
    {
        var names = spec.NodeNames();
        bool Fits(int count) => Place("probe", spec, names.Take(count).ToList(), exactStart: true, snapshot, siteName).Admitted;
        if (!Fits(1))
        {
            return Split.AllHere(names);
        }

        var (low, high) = (1, names.Count - 1);
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (Fits(mid))
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        return new Split(names.Take(low).ToList(), new Dictionary<string, IReadOnlyList<NodeName>> { [peer] = names.Skip(low).ToList() });
    }
}
