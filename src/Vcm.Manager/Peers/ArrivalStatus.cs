using Vcm.Domain.Moves;

namespace Vcm.Manager.Peers;

/// <summary>
/// A node's arrival as the peer sees it: the host it placed the node on, the arrival's state there (pending until the
/// home says the switch-over happened, then moved and completed; aborting and failed when given up), whether its
/// receiver and relay end are ready for the home to send, why it was given up, and the image version (NAME@VERSION)
/// the receiver's disk is over (the source refuses to send into another).
/// </summary>
public sealed record ArrivalStatus(string Id, string Host, MigrationState State, bool Prepared, string? Error, string? Image = null);
