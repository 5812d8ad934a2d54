using Vcm.Domain.Clusters;

namespace Vcm.Domain.Scheduling;

/// <summary>What to place: equal-sized nodes, an optional shared volume, a window, a policy, allowed sites.</summary>
public sealed record PlacementRequest(
    IReadOnlyList<NodeName> Nodes,
    Resources PerNode,
    long SharedMb,
    DateTimeOffset Start,
    DateTimeOffset End,
    PlacementPolicy Policy,
    IReadOnlyList<string> Sites)
{
    public TimeSpan Duration => End - Start;

    public PlacementRequest At(DateTimeOffset start) => this with { Start = start, End = start + Duration };

    public static PlacementRequest For(ClusterSpec spec) => new(
        spec.NodeNames(),
        Resources.Of(spec.Cpus, spec.Memory, spec.Disk),
        spec.Shared?.Mebibytes ?? 0,
        spec.Start,
        spec.End,
        spec.Policy,
        spec.Sites.Select(s => s.Site).ToList());
}
