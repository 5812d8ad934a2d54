using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Vcm.Drivers;
using Vcm.Drivers.Images;

namespace Vcm.Manager.Images;

/// <summary>
/// The layer builds of this manager: one build per distinct layer, however many clusters wait for it, run in the
/// background so that a cluster's reconcile pass only looks at how it goes. Nothing here is the truth: a layer is
/// built when the store holds it, so a manager that restarts mid-build simply starts the build again (the store's
/// half-built folder is cleared first).
/// </summary>
public sealed partial class LayerBuilds(IImageLayers layers, ILogger<LayerBuilds> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<LayerBuild>>> _builds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PackageResolution> _plans = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The resolution of a cluster's package set, made once per cluster while this manager runs.</summary>
    public async Task<PackageResolution> PlanAsync(string clusterId, string image, IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        if (_plans.TryGetValue(clusterId, out var known))
        {
            return known;
        }

        var resolution = await layers.ResolveAsync(image, packages, cancellationToken);
        return _plans.GetOrAdd(clusterId, resolution);
    }

    /// <summary>The build of the plan's layer: started by the first caller, joined by the others.</summary>
    public Task<LayerBuild> Build(LayerPlan plan) =>
        _builds.GetOrAdd(plan.Layer, layer => new Lazy<Task<LayerBuild>>(() => Task.Run(async () =>
        {
            try
            {
                return await layers.EnsureAsync(plan, line => LogProgress(logger, layer, line), _stopping.Token);
            }
            catch (Exception e) when (e is not DriverException and not OperationCanceledException)
            {
                throw new DriverException($"building layer {layer} failed: {e.Message}", e);
            }
        }))).Value;

    /// <summary>Forgets a finished build (so a later cluster asks the store again) and a cluster's plan.</summary>
    public void Forget(string clusterId, string layer)
    {
        _plans.TryRemove(clusterId, out _);
        if (_builds.TryGetValue(layer, out var build) && build.IsValueCreated && build.Value.IsCompleted)
        {
            _builds.TryRemove(new KeyValuePair<string, Lazy<Task<LayerBuild>>>(layer, build));
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "layer {Layer}: {Line}")]
    private static partial void LogProgress(ILogger logger, string layer, string line);
}

/// <summary>A site whose manager builds no layers (no image store it can build in): every package set is refused.</summary>
public sealed class NoImageLayers : IImageLayers
{
    public Task<PackageResolution> ResolveAsync(string image, IReadOnlyList<string> packages, CancellationToken cancellationToken) =>
        Task.FromResult(new PackageResolution(null, [], "this site's manager builds no package layers; ask for no packages"));

    public Task<LayerBuild> EnsureAsync(LayerPlan plan, Action<string> progress, CancellationToken cancellationToken) =>
        throw new DriverException("this site's manager builds no package layers", terminal: true);

    public Task<IReadOnlyList<StoredImage>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<StoredImage>>([]);

    public Task<bool> RemoveAsync(string layer, CancellationToken cancellationToken) => Task.FromResult(false);
}
