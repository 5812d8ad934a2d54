using Vcm.Domain.Moves;

namespace Vcm.Store.Records;

/// <summary>One live migration of a node (see migration 0021).</summary>
public sealed class MigrationRecord
{
    public required string Id { get; set; }

    public required string ClusterId { get; set; }

    /// <summary>The node's name in its cluster.</summary>
    public required string Node { get; set; }

    public string? FromHostId { get; set; }

    public string? ToHostId { get; set; }

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

    /// <summary>At a peer, the site a node arrives from (<see cref="FromHostId"/> is null: that site's host is not known here).</summary>
    public string? FromSite { get; set; }

    /// <summary>At the home, the site a node moves to (<see cref="ToHostId"/> is null).</summary>
    public string? ToSite { get; set; }

    /// <summary>The host at the other site: where the peer placed it (at the home), or the host asked for.</summary>
    public string? RemoteHost { get; set; }

    /// <summary>At a peer, the arriving node as its home assigned it (JSON of an arrival request).</summary>
    public string? Arrival { get; set; }

    /// <summary>At a peer, when the arrival's receiver and relay were ready for the home to send.</summary>
    public long? PreparedMs { get; set; }

    /// <summary>At a peer, the image version (NAME@VERSION) the arrival's receiver's disk is over.</summary>
    public string? ReceiverImage { get; set; }

    /// <summary>True for a migration to or from another site.</summary>
    public bool AcrossSites => FromSite is not null || ToSite is not null;

    public long Version { get; set; }
}
