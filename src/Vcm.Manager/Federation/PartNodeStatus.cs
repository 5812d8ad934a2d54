namespace Vcm.Manager.Federation;

/// <summary>A node of a part: the peer's host running it, its state there, and when its VM last (re)started.</summary>
public sealed record PartNodeStatus(string Name, string Host, string State, long? BootedMs);
