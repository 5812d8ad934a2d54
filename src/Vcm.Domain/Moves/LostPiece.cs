using Vcm.Domain.Scheduling;

namespace Vcm.Domain.Moves;

/// <summary>
/// A piece of a cluster that was on a lost host and is to be rebuilt on another: a node (<see cref="HostRoles.Compute"/>,
/// its size), the shared volume (<see cref="HostRoles.Storage"/>, its disk) or the gateway (<see cref="HostRoles.Gateway"/>,
/// nothing). It needs its size from <see cref="From"/> to <see cref="To"/>: the rest of the cluster's window.
/// </summary>
public sealed record LostPiece(string ClusterId, string Name, HostRoles Role, Resources Size, DateTimeOffset From, DateTimeOffset To);
