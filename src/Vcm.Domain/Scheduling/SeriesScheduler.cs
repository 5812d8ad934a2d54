namespace Vcm.Domain.Scheduling;

/// <summary>
/// Plans the occurrences of a series in one pass over one calendar: each for exactly its window, against the claims
/// already there plus those of the earlier occurrences that fit (so a series never counts the same free capacity twice).
/// </summary>
public static class SeriesScheduler
{
    /// <summary>
    /// A plan (or the reason it does not fit) per occurrence, in order. The claims of the occurrences that fit are left in
    /// <paramref name="calendar"/>: a caller that does not store them removes them (<see cref="ClaimCalendar.RemoveCluster"/>).
    /// <paramref name="refuse"/>, asked before each occurrence is planned (with the results of the earlier ones), may refuse
    /// it for a reason of its own (a name taken, a quota full), so that it holds no capacity either.
    /// </summary>
    public static IReadOnlyList<PlanResult> Plan(
        IReadOnlyList<(string ClusterId, PlacementRequest Request)> occurrences, IReadOnlyList<HostCapacity> hosts, ClaimCalendar calendar,
        Func<int, IReadOnlyList<PlanResult>, string?>? refuse = null)
    {
        var results = new List<PlanResult>(occurrences.Count);
        foreach (var (clusterId, request) in occurrences)
        {
            var plan = refuse?.Invoke(results.Count, results) is { } reason
                ? PlanResult.Fail(reason)
                : Scheduler.Plan(clusterId, request, hosts, calendar);
            if (plan.Placement is { } placement)
            {
                foreach (var claim in placement.Claims)
                {
                    calendar.Add(claim);
                }
            }

            results.Add(plan);
        }

        return results;
    }
}
