using Vcm.Domain.Clusters;
using Vcm.Domain.Packages;
using Vcm.Drivers.Images;
using Vcm.Manager.Configuration;
using Vcm.Store.Packages;

namespace Vcm.Manager.Images;

/// <summary>
/// Reads what the cost model needs (the recent layer builds and image fetches, the image store, the image's cache
/// image) and asks it (<see cref="CostModel"/>, pure) for a request's estimated time to Ready.
/// </summary>
public sealed class ReadyEstimator(PackageHistoryStore history, CacheImageStore cacheImages, IImageLayers layers, ManagerOptions options)
{
    /// <summary>How many of the most recent layer builds the build time is fitted to.</summary>
    public const int BuildSamples = 50;

    /// <summary>How many of each agent's most recent fetches its hosts' transfer rate is measured over.</summary>
    public const int FetchSamples = 20;

    /// <summary>How many of the nodes' most recent installs at boot the install time is fitted to.</summary>
    public const int InstallSamples = 50;

    public async Task<CostInputs> InputsAsync(string image, CancellationToken cancellationToken)
    {
        var builds = await BuildsAsync(cancellationToken);
        var fetches = await history.RecentFetchesAsync(FetchSamples, cancellationToken);
        return new CostInputs(
            new CostHistory(builds, fetches) { Installs = await history.RecentInstallsAsync(InstallSamples, cancellationToken) },
            await layers.ListAsync(cancellationToken),
            await cacheImages.GetAsync(image, cancellationToken));
    }

    public ReadyEstimate Estimate(CostInputs inputs, LayerPlan plan, IReadOnlyList<string> hosts, InstallMode install) =>
        CostModel.Estimate(inputs.Request(plan, hosts, install), inputs.History, options.Costs);

    public async Task<ReadyEstimate> EstimateAsync(LayerPlan plan, IReadOnlyList<string> hosts, InstallMode install, CancellationToken cancellationToken) =>
        Estimate(await InputsAsync(plan.Image, cancellationToken), plan, hosts, install);

    /// <summary>The layer build's estimate alone (for a cache image, which no cluster's hosts wait for).</summary>
    public async Task<double> BuildSecondsAsync(LayerPlan plan, CancellationToken cancellationToken) =>
        BuildFit.Of(await BuildsAsync(cancellationToken), options.Costs).Seconds(plan.Installs.Count, plan.InstalledKib);

    private async Task<IReadOnlyList<BuildSample>> BuildsAsync(CancellationToken cancellationToken) =>
        (await history.RecentBuildsAsync(BuildSamples, cancellationToken)).Select(b => new BuildSample(b.Packages, b.Bytes, b.DurationMs / 1000.0, b.InstalledKib)).ToList();
}
