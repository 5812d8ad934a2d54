using Vcm.Domain.Scheduling;

namespace Vcm.Domain.Moves;

/// <summary>
/// Finds new hosts for the pieces of clusters a lost host held (issue 13, item 4), against the calendar as admission
/// does: a piece goes to a host of its role with room for it at every instant of its window, besides everything the
/// calendar holds there (future reservations included) and the pieces placed before it. Among those, the host with the
/// most free cpus over the window, by name on a tie (<see cref="HostChoice"/>), so rebuilt nodes spread. A piece no host can take
/// is given back with the reason; it waits on the lost host.
/// </summary>
public static class Rehoming
{
    public static IReadOnlyList<Rehomed> Place(IReadOnlyList<LostPiece> pieces, IReadOnlyList<HostCapacity> hosts, ClaimCalendar calendar)
    {
        var planned = new ClaimCalendar(calendar.All);
        var result = new List<Rehomed>(pieces.Count);
        foreach (var piece in pieces)
        {
            if (HostChoice.MostFree(hosts, piece.Role, piece.Size, piece.From, piece.To, planned, f => f.Cpus) is not { } host)
            {
                result.Add(new Rehomed(piece, null, NoRoom(piece, hosts)));
                continue;
            }

            if (piece.Size != Resources.Zero)
            {
                planned.Add(new Claim(piece.ClusterId, host.HostId, piece.From, piece.To, piece.Size));
            }

            result.Add(new Rehomed(piece, host.HostId, null));
        }

        return result;
    }

    private static string NoRoom(LostPiece piece, IReadOnlyList<HostCapacity> hosts) =>
        hosts.Any(h => h.Has(piece.Role))
            ? $"no ready host has room for {piece.Name} ({piece.Size}) until {piece.To:u}"
            : $"no ready host has the {piece.Role.ToString().ToLowerInvariant()} role";
}
