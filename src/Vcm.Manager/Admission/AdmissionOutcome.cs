using Vcm.Domain.Common;
using Vcm.Store.Records;

namespace Vcm.Manager.Admission;

/// <summary>What became of a create request.</summary>
public abstract record AdmissionOutcome
{
    /// <summary>The answer to a request whose Idempotency-Key an earlier cluster holds: that cluster, unless the
    /// earlier request (by its hash, where kept) was another one.</summary>
    public static AdmissionOutcome Replay(ClusterRecord earlier, string key, string? hash) =>
        earlier.IdempotencyHash is { } stored && hash is not null && stored != hash
            ? new KeyReused(key, earlier)
            : new Admitted(earlier, Replayed: true);

    /// <summary>The outcome's name in the manager's metrics.</summary>
    public string Label => this switch
    {
        Admitted { Replayed: true } => "replayed",
        Admitted => "admitted",
        Invalid => "invalid",
        NameTaken => "name_taken",
        KeyReused => "key_reused",
        NoCapacity => "no_capacity",
        OverQuota => "over_quota",
        PeerFailed => "peer_failed",
        Fits => "fits",
        _ => "other",
    };

    /// <summary>Stored, phase Scheduled; <see cref="Replayed"/> when an idempotency key matched an earlier create.</summary>
    public sealed record Admitted(ClusterRecord Cluster, bool Replayed) : AdmissionOutcome;

    /// <summary>The request itself is wrong: every problem, nothing stored.</summary>
    public sealed record Invalid(IReadOnlyList<Problem> Problems) : AdmissionOutcome;

    /// <summary>Valid, but a live cluster has the name already.</summary>
    public sealed record NameTaken(string Name) : AdmissionOutcome;

    /// <summary>A dry run that would be admitted: the window it would get (a flexible start's choice).</summary>
    public sealed record Fits(DateTimeOffset Start, DateTimeOffset End) : AdmissionOutcome;

    /// <summary>The Idempotency-Key was used before with another request.</summary>
    public sealed record KeyReused(string Key, ClusterRecord Earlier) : AdmissionOutcome;

    /// <summary>Valid, but the capacity is not there for its window.</summary>
    public sealed record NoCapacity(string Reason, DateTimeOffset? EarliestStart) : AdmissionOutcome;

    /// <summary>The tenant's quota does not leave room for it in its window: each quota exceeded, with what is used and asked.</summary>
    public sealed record OverQuota(string Tenant, IReadOnlyList<Domain.Tenancy.QuotaExcess> Excesses) : AdmissionOutcome;

    /// <summary>A peer refused its part or could not be reached: the cluster is withdrawn everywhere.</summary>
    public sealed record PeerFailed(string Site, Peers.PeerFailure Failure, string Reason) : AdmissionOutcome
    {
        /// <summary>Every peer that may have admitted its part was told to drop it (else one drops it when not renewed).</summary>
        public bool AllWithdrawn { get; init; } = true;
    }
}
