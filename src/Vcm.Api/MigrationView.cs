namespace Vcm.Api;

/// <summary>
/// A node's live migration: from and to which host, its state (pending, moved, completed, aborting, failed), and what
/// QEMU measured — the whole time, the pause (downtime), the memory and disk bytes sent — or why it failed.
/// </summary>
public sealed record MigrationView(
    string Id,
    string Cluster,
    string Node,
    string From,
    string To,
    string State,
    string Reason,
    string? RequestedBy,
    DateTimeOffset Requested,
    DateTimeOffset? Started,
    DateTimeOffset? Ended,
    long? TotalMs,
    long? DowntimeMs,
    long? MemoryBytes,
    long? DiskBytes,
    string? Error);
