using System.Globalization;

namespace Vcm.Domain.Tenancy;

/// <summary>
/// Whether a request fits a tenant's quota, counted over reservations (running and future alike), not only over what
/// runs now: nodes, vCPUs, memory and shared size at every moment of the asked window, and node-hours in each calendar
/// month (UTC) the window touches.
/// </summary>
public static class QuotaCheck
{
    /// <summary>Every quota the request would exceed; empty when it fits. A resource the request does not ask for is not checked.</summary>
    public static IReadOnlyList<QuotaExcess> Check(TenantQuota quota, IReadOnlyList<Reservation> held, Reservation asked) =>
        Excesses(quota, held, asked, checkUnasked: false);

    /// <summary>Every quota that what is held already exceeds at some moment from <paramref name="now"/> on (a quota lowered below it).</summary>
    public static IReadOnlyList<QuotaExcess> Overcommitted(TenantQuota quota, IReadOnlyList<Reservation> held, DateTimeOffset now)
    {
        var end = held.Select(r => r.End).Where(e => e > now).DefaultIfEmpty(now).Max();
        return end <= now ? [] : Excesses(quota, held, new Reservation(now, end, 0, 0, 0, 0), checkUnasked: true);
    }

    /// <summary>What is held at the busiest moment from <paramref name="now"/> on, each resource on its own, and node-hours in now's month.</summary>
    public static Reservation PeakFrom(IReadOnlyList<Reservation> held, DateTimeOffset now)
    {
        var end = held.Select(r => r.End).Where(e => e > now).DefaultIfEmpty(now).Max();
        return PeakWithin(held, now, end > now ? end : now.AddTicks(1));
    }

    /// <summary>What is held at the busiest moment of [<paramref name="from"/>, <paramref name="to"/>), each resource on its own.</summary>
    public static Reservation PeakWithin(IReadOnlyList<Reservation> held, DateTimeOffset from, DateTimeOffset to)
    {
        var window = new Reservation(from, to, 0, 0, 0, 0);
        var during = held.Where(r => r.Overlaps(from, to)).ToList();
        long At(Func<Reservation, long> amount)
        {
            var t = Peak(during, window, amount);
            return during.Where(r => r.Start <= t && t < r.End).Sum(amount);
        }

        return new Reservation(from, to, At(r => r.Nodes), At(r => r.Vcpus), At(r => r.MemoryMb), At(r => r.SharedMb));
    }

    /// <summary>Node-hours held in the calendar month (UTC) of <paramref name="at"/>.</summary>
    public static double NodeHoursInMonth(IReadOnlyList<Reservation> held, DateTimeOffset at)
    {
        var (from, to) = Months(at, at.AddTicks(1)).First();
        return held.Sum(r => r.NodeHoursIn(from, to));
    }

    /// <summary>The first instant of the calendar month (UTC) of <paramref name="at"/>: what node-hours are counted from.</summary>
    public static DateTimeOffset MonthStart(DateTimeOffset at) => new(at.UtcDateTime.Year, at.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);

    private static List<QuotaExcess> Excesses(TenantQuota quota, IReadOnlyList<Reservation> held, Reservation asked, bool checkUnasked)
    {
        var excesses = new List<QuotaExcess>();
        var during = held.Where(r => r.Overlaps(asked.Start, asked.End)).ToList();
        Moment("nodes", quota.Nodes, r => r.Nodes);
        Moment("vcpus", quota.Vcpus, r => r.Vcpus);
        Moment("memory", quota.MemoryMb, r => r.MemoryMb);
        Moment("shared", quota.SharedMb, r => r.SharedMb);
        if (quota.NodeHours is { } limit && (checkUnasked || asked.Nodes > 0))
        {
            foreach (var (from, to) in Months(asked.Start, asked.End))
            {
                var used = held.Sum(r => r.NodeHoursIn(from, to));
                var wanted = asked.NodeHoursIn(from, to);
                if (used + wanted > limit + 1e-9)
                {
                    excesses.Add(new QuotaExcess("node-hours", limit, (long)Math.Ceiling(used - 1e-9), (long)Math.Ceiling(wanted - 1e-9),
                        "in " + from.ToString("yyyy-MM", CultureInfo.InvariantCulture)));
                }
            }
        }

        return excesses;

        void Moment(string name, long? max, Func<Reservation, long> amount)
        {
            if (max is not { } limitAt || (amount(asked) == 0 && !checkUnasked))
            {
                return;
            }

            var peakAt = Peak(during, asked, amount);
            var used = during.Where(r => r.Start <= peakAt && peakAt < r.End).Sum(amount);
            if (used + amount(asked) > limitAt)
            {
                excesses.Add(new QuotaExcess(name, limitAt, used, amount(asked), $"at {peakAt:u}"));
            }
        }
    }

    /// <summary>The moment in the asked window at which the held reservations hold the most (the earliest such).</summary>
    private static DateTimeOffset Peak(IReadOnlyList<Reservation> during, Reservation asked, Func<Reservation, long> amount)
    {
        var best = asked.Start;
        var bestSum = long.MinValue;
        foreach (var t in during.Select(r => r.Start).Where(s => s > asked.Start && s < asked.End).Prepend(asked.Start).Order())
        {
            var sum = during.Where(r => r.Start <= t && t < r.End).Sum(amount);
            if (sum > bestSum)
            {
                (best, bestSum) = (t, sum);
            }
        }

        return best;
    }

    /// <summary>The calendar months (UTC) that [start, end) touches, each as [first instant, first instant of the next).</summary>
    public static IEnumerable<(DateTimeOffset From, DateTimeOffset To)> Months(DateTimeOffset start, DateTimeOffset end)
    {
        var month = MonthStart(start);
        while (month < end)
        {
            var next = month.Year == 9999 && month.Month == 12 ? DateTimeOffset.MaxValue : month.AddMonths(1);
            yield return (month, next);
            month = next;
        }
    }
}
