using Vcm.Domain.Scheduling;

namespace Vcm.Domain.Tenancy;

/// <summary>
/// For which starts in [from, to] a reservation of a given shape and duration fits a tenant's quota, as runs of
/// starts. The quota check's answer changes only at a few points: where a held reservation enters the window (its
/// start − d, the next millisecond) or leaves it (its end), and, for node-hours, near where the window's node-hours in a
/// month reach what the month has left. The check is made at each point and holds until the next one.
/// </summary>
public static class QuotaFit
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    public static IReadOnlyList<FitWindow> Starts(
        TenantQuota quota, IReadOnlyList<Reservation> held, Reservation shape, TimeSpan duration, DateTimeOffset from, DateTimeOffset to)
    {
        var points = new SortedSet<DateTimeOffset> { from };
        void Add(DateTimeOffset point)
        {
            if (point > from && point <= to)
            {
                points.Add(point);
            }
        }

        foreach (var r in held)
        {
            Add(r.End);
            Add(r.Start - duration + Tick);
        }

        if (quota.NodeHours is { } limit && shape.Nodes > 0)
        {
            foreach (var (monthStart, monthEnd) in QuotaCheck.Months(from, to + duration))
            {
                // the window's node-hours in the month rise from monthStart − d and fall to 0 at monthEnd: over the
                // month's budget between a and b
                var used = held.Sum(r => r.NodeHoursIn(monthStart, monthEnd));
                var budget = TimeSpan.FromHours(Math.Clamp((limit - used) / shape.Nodes, 0, 24 * 366));
                foreach (var edge in new[] { monthStart - duration + budget, monthEnd - budget })
                {
                    var ms = DateTimeOffset.FromUnixTimeMilliseconds(edge.ToUnixTimeMilliseconds());
                    for (var i = -1; i <= 2; i++)
                    {
                        Add(ms + (Tick * i));
                    }
                }
            }
        }

        return FitWindows.RunsOf(points, to, point => QuotaCheck.Check(quota, held, shape with { Start = point, End = point + duration }).Count == 0);
    }

    /// <summary>The starts that are in both lists of runs.</summary>
    public static IReadOnlyList<FitWindow> Both(IReadOnlyList<FitWindow> a, IReadOnlyList<FitWindow> b)
    {
        var both = new List<FitWindow>();
        int i = 0, j = 0;
        while (i < a.Count && j < b.Count)
        {
            var first = a[i].First > b[j].First ? a[i].First : b[j].First;
            var last = a[i].Last < b[j].Last ? a[i].Last : b[j].Last;
            if (first <= last)
            {
                both.Add(new FitWindow(first, last));
            }

            if (a[i].Last < b[j].Last)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return both;
    }
}
