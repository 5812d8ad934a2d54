namespace Vcm.Domain.Packages;

/// <summary>What the site has measured, as the cost model reads it (the recent layer builds and image fetches).</summary>
public sealed record CostHistory(IReadOnlyList<BuildSample> Builds, IReadOnlyList<FetchSample> Fetches)
{
    public static readonly CostHistory Empty = new([], []);
}
