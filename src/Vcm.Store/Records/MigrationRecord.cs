using Vcm.Domain.Moves;

namespace Vcm.Store.Records;

/// <summary>One live migration of a node (see migration 0021).</summary>
public sealed class MigrationRecord
{
    public required string Id { get; set; }

    public required string ClusterId { get; set; }

    /// <summary>The node's name in its cluster.</summary>
    public required string Node { get; set; }

    public required string FromHostId { get; set; }

    public required string ToHostId { get; set; }

    public required MigrationState State { get; set; }

    /// <summary>Why it was asked for: "asked by alice", "host h1 draining" …</summary>
    public required string Reason { get; set; }

    public string? RequestedBy { get; set; }

    public long RequestedMs { get; set; }

    /// <summary>When the hosts were first asked to move it.</summary>
    public long? StartedMs { get; set; }

    /// <summary>When it completed or failed.</summary>
    public long? EndedMs { get; set; }

    /// <summary>What QEMU measured: the whole migration, the pause, the memory and disk bytes sent.</summary>
    public long? TotalMs { get; set; }

    public long? DowntimeMs { get; set; }

    public long? MemoryBytes { get; set; }

    public long? DiskBytes { get; set; }

    /// <summary>Why it failed (or what went wrong on the way).</summary>
    public string? Error { get; set; }

    /// <summary>The claim that holds the destination's capacity for the node from the request on.</summary>
    public string? ClaimId { get; set; }

    public long Version { get; set; }
}
