using Vcm.Domain.Clusters;

namespace Vcm.Manager.Peers;

/// <summary>A node of a part: the peer's host running it, its state there, and when its VM last (re)started.</summary>
public sealed record PartNodeStatus(string Name, string Host, NodeState State, long? BootedMs);
