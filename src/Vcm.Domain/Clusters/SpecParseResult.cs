using Vcm.Domain.Common;

namespace Vcm.Domain.Clusters;

/// <summary>The spec, or every problem; with a flexible start, the latest start the request allows.</summary>
public sealed record SpecParseResult(ClusterSpec? Spec, IReadOnlyList<Problem> Problems, DateTimeOffset? LatestStart = null)
{
    public bool Ok => Spec is not null;
}
