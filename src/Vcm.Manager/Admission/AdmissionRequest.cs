using Vcm.Domain.Clusters;
using Vcm.Drivers.Images;

namespace Vcm.Manager.Admission;

/// <summary>
/// What to admit at this site — a cluster of its own, or a part of another site's cluster — through the one path of
/// <see cref="ClusterAdmission.AdmitAsync"/>.
/// </summary>
public sealed record AdmissionRequest
{
    /// <summary>The spec the cluster row keeps (for a part: the home's, named NAME@HOME, without the shared volume or sites).</summary>
    public required ClusterSpec Spec { get; init; }

    /// <summary>Which nodes to place here and which to ask peers for, given the calendar as admission sees it.</summary>
    public required Func<CalendarCache.Snapshot, Split> Split { get; init; }

    /// <summary>A flexible start: the latest start allowed; the cluster starts at the earliest from the spec's start to this
    /// that fits here, and its spec is stored with that start.</summary>
    public DateTimeOffset? LatestStart { get; init; }

    /// <summary>A repeated request with the same key gets the first one's cluster.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The hash of the request that came with <see cref="IdempotencyKey"/>: the key with another request is refused.</summary>
    public string? IdempotencyHash { get; init; }

    /// <summary>Set for a part of another site's cluster.</summary>
    public PartOrigin? Origin { get; init; }

    /// <summary>The package set as resolved when the request was read (null without packages): what the estimate is of.</summary>
    public LayerPlan? Plan { get; init; }

    /// <summary>Whose cluster it is (null: the provider's own, as is every part made for a peer).</summary>
    public ClusterOwner? Owner { get; init; }

    /// <summary>Only ask whether it would be admitted: every check of a create, then nothing stored (<see cref="AdmissionOutcome.Fits"/>).</summary>
    public bool DryRun { get; init; }
}
