using Vcm.Domain.Scheduling;

namespace Vcm.Domain.Moves;

/// <summary>
/// The calendar's side of moving one node of a cluster to another host for the rest of its window: whether the host
/// has room for the node at every instant of it, and the claims the source host keeps once the node left.
/// </summary>
public static class NodeMove
{
    /// <summary>
    /// Null when <paramref name="node"/> fits on <paramref name="host"/> at every instant of [<paramref name="from"/>,
    /// <paramref name="to"/>) besides everything the calendar holds there (future reservations included); else why not.
    /// </summary>
    public static string? Room(HostCapacity host, Resources node, DateTimeOffset from, DateTimeOffset to, ClaimCalendar calendar)
    {
        var free = host.Capacity - calendar.PeakUsage(host.HostId, from, to);
        if (node.FitsIn(free))
        {
            return null;
        }

        return $"host {host.Name} has {Clamp(free)} free until {to:u} (at its busiest), and the node needs {node}";
    }

    /// <summary>
    /// The source host's claims of the cluster after one node of <paramref name="node"/>'s size left it at
    /// <paramref name="at"/>: a claim that holds the node on past <paramref name="at"/> (the smallest such, the node's
    /// own exact claim first) is cut at <paramref name="at"/> and goes on with the node's amount less; one that would
    /// hold nothing goes. The others are kept as they are. Null when no claim held the node through the rest of its window.
    /// </summary>
    public static IReadOnlyList<Claim>? Release(IReadOnlyList<Claim> claimsOnSource, Resources node, DateTimeOffset at)
    {
        var holder = claimsOnSource
            .Where(c => c.End > at && node.FitsIn(c.Amount))
            .OrderBy(c => c.Amount == node ? 0 : 1)
            .ThenBy(c => c.Amount.Cpus).ThenBy(c => c.Amount.MemoryMb).ThenBy(c => c.Amount.DiskMb)
            .ThenByDescending(c => c.End)
            .FirstOrDefault();
        if (holder is null)
        {
            return null;
        }

        var result = claimsOnSource.Where(c => !ReferenceEquals(c, holder)).ToList();
        if (holder.Start < at)
        {
            result.Add(holder with { End = at });
        }

        var rest = holder.Amount - node;
        if (rest != Resources.Zero)
        {
            result.Add(holder with { Start = holder.Start < at ? at : holder.Start, Amount = rest });
        }

        return result;
    }

    private static Resources Clamp(Resources r) => new(Math.Max(0, r.Cpus), Math.Max(0, r.MemoryMb), Math.Max(0, r.DiskMb));
}
