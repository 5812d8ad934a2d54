using Vcm.Domain.Scheduling;

namespace Vcm.Domain.Moves;

/// <summary>
/// What a drain does with one future reservation: its nodes' new hosts, its volume's and gateway's (null when they
/// stay), and the claims that hold them for the reservation's whole window — or, with <see cref="Reason"/>, why it
/// stays on the drained host as it is.
/// </summary>
public sealed record ReservationReplan(
    string ClusterId,
    string Name,
    IReadOnlyDictionary<string, string> NodeHosts,
    string? StorageHostId,
    string? GatewayHostId,
    IReadOnlyList<Claim> Claims,
    string? Reason)
{
    public bool Moved => Reason is null;

    public static ReservationReplan Kept(HeldReservation reservation, string reason) =>
        new(reservation.ClusterId, reservation.Name, new Dictionary<string, string>(), null, null, [], reason);
}
