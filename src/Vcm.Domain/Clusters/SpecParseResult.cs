using Vcm.Domain.Common;

namespace Vcm.Domain.Clusters;

public sealed record SpecParseResult(ClusterSpec? Spec, IReadOnlyList<Problem> Problems)
{
    public bool Ok => Spec is not null;
}
