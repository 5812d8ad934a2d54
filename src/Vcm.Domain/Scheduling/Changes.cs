using Vcm.Domain.Clusters;

namespace Vcm.Domain.Scheduling;

/// <summary>
/// Changes to an admitted cluster, admitted against the calendar exactly as a new request is: an extension keeps every
/// claim on its host and lengthens it; growing places the new nodes for the rest of the window. Neither lets any
/// host's use exceed its capacity at any instant.
/// </summary>
public static class Changes
{
    /// <summary>
    /// Whether the claims of a cluster that end at <paramref name="end"/> may run on to <paramref name="newEnd"/> on
    /// the same hosts. The calendar may hold the cluster's own claims (they end at <paramref name="end"/>, so they are
    /// not in the new part of the window). Refused with the latest end that fits: use only rises at a claim's start,
    /// so the latest end that fits is <paramref name="newEnd"/> or the start of a claim.
    /// </summary>
    public static ExtendDecision Extend(
        IReadOnlyList<Claim> clusterClaims, DateTimeOffset end, DateTimeOffset newEnd, IReadOnlyList<HostCapacity> hosts, ClaimCalendar calendar)
    {
        var capacity = hosts.ToDictionary(h => h.HostId, StringComparer.Ordinal);
        var latest = newEnd;
        string? reason = null;
        foreach (var held in clusterClaims.Where(c => c.End == end).GroupBy(c => c.HostId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var amount = held.Aggregate(Resources.Zero, (sum, c) => sum + c.Amount);
            if (!capacity.TryGetValue(held.Key, out var host))
            {
                return ExtendDecision.Refuse(end, $"host {held.Key} that holds the cluster is not ready");
            }

            bool Fits(DateTimeOffset until) => (calendar.PeakUsage(host.HostId, end, until) + amount).FitsIn(host.Capacity);
            if (Fits(latest))
            {
                continue;
            }

            var fitting = calendar.ClaimsOn(host.HostId).Select(c => c.Start).Where(s => s > end && s < latest)
                .Distinct().OrderDescending().FirstOrDefault(Fits);
            latest = fitting == default ? end : fitting;
            reason = $"host {host.Name} is taken from {latest:u}";
        }

        return reason is null ? ExtendDecision.Fit(newEnd) : ExtendDecision.Refuse(latest, reason);
    }

    /// <summary>
    /// Places <paramref name="request"/>'s nodes (the new ones: its window is the rest of the cluster's) against the
    /// calendar, which holds the cluster's own claims. Refused with the most of them that would fit.
    /// </summary>
    public static GrowDecision Grow(string clusterId, PlacementRequest request, IReadOnlyList<HostCapacity> hosts, ClaimCalendar calendar)
    {
        var plan = Scheduler.Plan(clusterId, request, hosts, calendar);
        if (plan.Placement is { } placement)
        {
            return new GrowDecision(placement, request.Nodes.Count, null);
        }

        // fitting is monotone in the count: the largest that fits is found by halving
        int low = 0, high = request.Nodes.Count - 1;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (Scheduler.Plan(clusterId, request with { Nodes = request.Nodes.Take(mid).ToList() }, hosts, calendar).Placement is not null)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        return new GrowDecision(null, low, plan.Reason);
    }

    /// <summary>The window the new nodes of a grown cluster need: from now (or its start, if later) to its end.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) RestOf(DateTimeOffset start, DateTimeOffset end, DateTimeOffset now) =>
        (now > start ? now : start, end);

    /// <summary>The workers that grow a cluster of <paramref name="workers"/> to <paramref name="newWorkers"/>, by the naming of a new cluster.</summary>
    public static IReadOnlyList<NodeName> NewWorkers(int workers, int newWorkers, bool head) =>
        NodeName.For(newWorkers, head).Where(n => n.Role == NodeRole.Worker).Skip(workers).ToList();
}
