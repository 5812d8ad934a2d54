using Vcm.Domain.Scheduling;

namespace Vcm.Domain.Moves;

/// <summary>
/// A node running on a host until its cluster's <see cref="End"/>, as consolidation sees it: its size, and why it
/// cannot be moved live now (<see cref="Stuck"/>: its cluster is not Ready, it is already moving …), null when it can.
/// </summary>
public sealed record RunningNode(string ClusterId, string Cluster, string Node, string HostId, Resources Size, DateTimeOffset End, string? Stuck = null);
