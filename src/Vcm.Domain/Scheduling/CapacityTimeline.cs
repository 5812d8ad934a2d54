namespace Vcm.Domain.Scheduling;

/// <summary>
/// The site's free capacity over time, step by step: for each step what stays free for all of it (a host's capacity
/// less its peak use at any instant of the step), so a request that fits a step's figures fits every moment of it.
/// </summary>
public static class CapacityTimeline
{
    public const int MaxSteps = 2000;

    public static IReadOnlyList<CapacityStep> Of(
        IReadOnlyList<HostCapacity> hosts, ClaimCalendar calendar, DateTimeOffset from, DateTimeOffset to, TimeSpan step, Resources? shape)
    {
        if (step <= TimeSpan.Zero || to <= from)
        {
            return [];
        }

        var steps = new List<CapacityStep>();
        for (var start = from; start < to && steps.Count < MaxSteps; start += step)
        {
            var end = start + step < to ? start + step : to;
            var free = Resources.Zero;
            long nodes = 0;
            foreach (var host in hosts)
            {
                var left = AtLeastZero(host.Capacity - calendar.PeakUsage(host.HostId, start, end));
                free += left;
                if (shape is { } unit)
                {
                    nodes += left.CountOf(unit);
                }
            }

            steps.Add(new CapacityStep(start, end, free, shape is null ? null : nodes));
        }

        return steps;
    }

    private static Resources AtLeastZero(Resources r) => new(Math.Max(0, r.Cpus), Math.Max(0, r.MemoryMb), Math.Max(0, r.DiskMb));
}
