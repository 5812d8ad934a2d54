using Vcm.Domain.Scheduling;

namespace Vcm.Domain.Moves;

/// <summary>
/// A future reservation (a Scheduled cluster) with something on a host being drained: its nodes there, its shared
/// volume of <see cref="SharedMb"/> (0 when the volume is elsewhere) and whether its gateway is there.
/// </summary>
public sealed record HeldReservation(
    string ClusterId,
    string Name,
    DateTimeOffset Start,
    DateTimeOffset End,
    Resources PerNode,
    IReadOnlyList<string> Nodes,
    long SharedMb,
    bool Gateway);
