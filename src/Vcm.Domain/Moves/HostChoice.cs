using Vcm.Domain.Scheduling;

namespace Vcm.Domain.Moves;

/// <summary>
/// The one way moves choose a host (host loss, drain): of <paramref name="role"/>, with room for <paramref name="need"/>
/// at every instant of [from, to) besides what the calendar holds there, the one with the most free by
/// <paramref name="by"/> over that window (by name on a tie); null when none fits.
/// </summary>
public static class HostChoice
{
    public static HostCapacity? MostFree(
        IEnumerable<HostCapacity> hosts, HostRoles role, Resources need, DateTimeOffset from, DateTimeOffset to, ClaimCalendar calendar, Func<Resources, long> by)
    {
        HostCapacity? best = null;
        long bestFree = 0;
        foreach (var host in hosts.Where(h => h.Has(role)).OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            var free = host.Capacity - calendar.PeakUsage(host.HostId, from, to);
            if (need.FitsIn(free) && (best is null || by(free) > bestFree))
            {
                (best, bestFree) = (host, by(free));
            }
        }

        return best;
    }
}
