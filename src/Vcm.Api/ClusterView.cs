using Vcm.Domain.Clusters;

namespace Vcm.Api;

/// <summary>A cluster as the API shows it: what was asked, where it is in its life, and (when asked for) its nodes.</summary>
public sealed record ClusterView
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Phase { get; init; }

    public string? Reason { get; init; }

    public required string Site { get; init; }

    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? DeletionRequestedAt { get; init; }

    public required int NodesReady { get; init; }

    public required int NodesTotal { get; init; }

    public required string Subnet { get; init; }

    public int? Vni { get; init; }

    /// <summary>What was asked for, normalised: the same fields as the create request.</summary>
    public required ClusterSpec Spec { get; init; }

    /// <summary>Conditions that hold now besides the phase (e.g. Failing: what the controller cannot do, since when).</summary>
    public IReadOnlyList<ConditionView> Conditions { get; init; } = [];

    public IReadOnlyList<NodeView>? Nodes { get; init; }

    /// <summary>The parts of the cluster other sites build (empty when it is all at its home site).</summary>
    public IReadOnlyList<PartView> Parts { get; init; } = [];

    /// <summary>For a cluster with packages: the estimated time to Ready of the way chosen for them (at create; again when its build starts).</summary>
    public EstimateView? Estimate { get; init; }
}
