namespace Vcm.Domain.Packages;

/// <summary>What the site has measured, as the cost model reads it (the recent layer builds, image fetches and installs at boot).</summary>
public sealed record CostHistory(IReadOnlyList<BuildSample> Builds, IReadOnlyList<FetchSample> Fetches)
{
    /// <summary>The nodes' recent installs at boot.</summary>
    public IReadOnlyList<InstallSample> Installs { get; init; } = [];

    public static readonly CostHistory Empty = new([], []);
}
