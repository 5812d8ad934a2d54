namespace Vcm.Domain.Scheduling;

/// <summary>
/// Where a request of a given duration fits, for starts in [from, to]. Which claims a window [s, s + d) overlaps
/// changes only where s reaches a claim's end (the claim leaves) or passes its start − d (it enters), and with the same
/// claims the peak use in the window is the same (overlapping intervals that meet pairwise share a point): so the
/// request is planned once at each such point, and between two points it fits or not throughout.
/// </summary>
public static class FitWindows
{
    /// <summary>How many points are planned at most; past it the list stops early.</summary>
    public const int MaxPoints = 5000;

    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    public static IReadOnlyList<FitWindow> Of(
        PlacementRequest request, IReadOnlyList<HostCapacity> hosts, ClaimCalendar calendar, DateTimeOffset from, DateTimeOffset to)
    {
        var duration = request.Duration;
        var points = new SortedSet<DateTimeOffset> { from };
        foreach (var claim in calendar.All)
        {
            if (claim.End > from && claim.End <= to)
            {
                points.Add(claim.End);
            }

            var enters = claim.Start - duration + Tick;
            if (enters > from && enters <= to)
            {
                points.Add(enters);
            }
        }

        return RunsOf(points, to, point => Scheduler.Plan("fit", request.At(point), hosts, calendar).Placement is not null);
    }

    /// <summary>
    /// The runs of starts that fit, from points (in order) at which the answer may change: each point's answer holds
    /// until the next point, the last one's until <paramref name="to"/>.
    /// </summary>
    public static IReadOnlyList<FitWindow> RunsOf(IEnumerable<DateTimeOffset> points, DateTimeOffset to, Func<DateTimeOffset, bool> fits)
    {
        var windows = new List<FitWindow>();
        DateTimeOffset? open = null;
        foreach (var point in points.Take(MaxPoints))
        {
            var fitsThere = fits(point);
            if (fitsThere && open is null)
            {
                open = point;
            }
            else if (!fitsThere && open is { } first)
            {
                windows.Add(new FitWindow(first, point - Tick));
                open = null;
            }
        }

        if (open is { } last)
        {
            windows.Add(new FitWindow(last, to));
        }

        return windows;
    }
}
