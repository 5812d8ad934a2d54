using Vcm.Domain.Scheduling;

namespace Vcm.Domain.Moves;

/// <summary>
/// Re-plans the future reservations held on a host being drained onto the other hosts, each for its whole window
/// against the calendar (future claims included), earliest first, each seeing what the ones before it took. A
/// reservation moves whole or not at all: its nodes on the host, its shared volume there and its gateway there all
/// find room, or it stays with the reason. Nothing it plans lets a host's use exceed its capacity at any instant.
/// </summary>
public static class DrainReplanner
{
    /// <param name="drainedHostId">The host being drained: never a destination.</param>
    /// <param name="reservations">What each reservation holds on it.</param>
    /// <param name="hosts">The hosts that may take work (ready ones); the drained host is left out if given.</param>
    /// <param name="calendar">Every claim (not changed: the plan works on a copy).</param>
    public static IReadOnlyList<ReservationReplan> Replan(
        string drainedHostId, IReadOnlyList<HeldReservation> reservations, IReadOnlyList<HostCapacity> hosts, ClaimCalendar calendar)
    {
        var others = hosts.Where(h => h.HostId != drainedHostId).OrderBy(h => h.Name, StringComparer.Ordinal).ToList();
        var working = new ClaimCalendar(calendar.All);
        var result = new List<ReservationReplan>(reservations.Count);
        foreach (var reservation in reservations.OrderBy(r => r.Start).ThenBy(r => r.Name, StringComparer.Ordinal))
        {
            var scratch = new ClaimCalendar(working.All);
            var plan = Place(reservation, others, scratch);
            if (plan.Moved)
            {
                working = scratch;
            }

            result.Add(plan);
        }

        return result;
    }

    /// <summary>Places the reservation's parts on <paramref name="hosts"/>, adding their claims to <paramref name="scratch"/> as it goes.</summary>
    private static ReservationReplan Place(HeldReservation r, IReadOnlyList<HostCapacity> hosts, ClaimCalendar scratch)
    {
        var held = new Dictionary<string, Resources>(StringComparer.Ordinal);
        void Hold(string hostId, Resources amount)
        {
            held[hostId] = held.GetValueOrDefault(hostId) + amount;
            scratch.Add(new Claim(r.ClusterId, hostId, r.Start, r.End, amount));
        }

        string? storage = null;
        if (r.SharedMb > 0)
        {
            var volume = new Resources(0, 0, r.SharedMb);
            storage = MostFree(hosts, HostRoles.Storage, volume, r, scratch, f => f.DiskMb);
            if (storage is null)
            {
                return ReservationReplan.Kept(r, $"no other ready storage host has {r.SharedMb}M free from {r.Start:u} to {r.End:u} for its shared volume");
            }

            Hold(storage, volume);
        }

        var nodeHosts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in r.Nodes)
        {
            var to = MostFree(hosts, HostRoles.Compute, r.PerNode, r, scratch, f => f.Cpus);
            if (to is null)
            {
                return ReservationReplan.Kept(r, $"no other ready compute host has room for {node} ({r.PerNode}) from {r.Start:u} to {r.End:u}");
            }

            nodeHosts[node] = to;
            Hold(to, r.PerNode);
        }

        string? gateway = null;
        if (r.Gateway)
        {
            gateway = MostFree(hosts, HostRoles.Gateway, Resources.Zero, r, scratch, f => f.Cpus);
            if (gateway is null)
            {
                return ReservationReplan.Kept(r, "no other ready gateway host can serve its gateway");
            }
        }

        var claims = held.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new Claim(r.ClusterId, kv.Key, r.Start, r.End, kv.Value)).ToList();
        return new ReservationReplan(r.ClusterId, r.Name, nodeHosts, storage, gateway, claims, null);
    }

    /// <summary>The host with the role that has room for <paramref name="need"/> through the window and the most of <paramref name="by"/> free (by name on a tie).</summary>
    private static string? MostFree(
        IReadOnlyList<HostCapacity> hosts, HostRoles role, Resources need, HeldReservation r, ClaimCalendar calendar, Func<Resources, long> by) =>
        HostChoice.MostFree(hosts, role, need, r.Start, r.End, calendar, by)?.HostId;
}
