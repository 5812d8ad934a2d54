using Vcm.Domain.Common;
using Vcm.Store.Records;

namespace Vcm.Manager.Admission;

/// <summary>What became of a change to an admitted cluster (an extension or a resize).</summary>
public abstract record ChangeOutcome
{
    /// <summary>Stored: the cluster as it is now.</summary>
    public sealed record Changed(ClusterRecord Cluster) : ChangeOutcome;

    /// <summary>No live cluster of this site has the name.</summary>
    public sealed record NotFound(string Name) : ChangeOutcome;

    /// <summary>The request itself is wrong: every problem, nothing changed.</summary>
    public sealed record Invalid(IReadOnlyList<Problem> Problems) : ChangeOutcome;

    /// <summary>The cluster is not one that can be changed so (its phase, parts at other sites), or it changed meanwhile.</summary>
    public sealed record Conflict(string Reason) : ChangeOutcome;

    /// <summary>The calendar has no room for the extension: the latest end that would fit (the current end when none does).</summary>
    public sealed record NoRoomToExtend(string Reason, DateTimeOffset LatestEnd) : ChangeOutcome;

    /// <summary>The calendar has no room for the new workers: the largest worker count that would fit.</summary>
    public sealed record NoRoomToGrow(string Reason, int LargestWorkers) : ChangeOutcome;

    /// <summary>The cluster has no node of that name.</summary>
    public sealed record NodeNotFound(string Cluster, string Node) : ChangeOutcome;

    /// <summary>The change cannot be made now, for every one of these reasons; nothing changed.</summary>
    public sealed record Refused(IReadOnlyList<Problem> Problems) : ChangeOutcome;

    /// <summary>A node's live migration is admitted (its destination's capacity held); the cluster's reconcile moves it.</summary>
    public sealed record MigrationAdmitted(ClusterRecord Cluster, MigrationRecord Migration) : ChangeOutcome;

    /// <summary>The tenant's quota does not leave room for the changed cluster.</summary>
    public sealed record OverQuota(string Tenant, IReadOnlyList<Domain.Tenancy.QuotaExcess> Excesses) : ChangeOutcome;
}
