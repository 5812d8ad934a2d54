using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Vcm.Drivers;
using Vcm.Drivers.Images;
using Vcm.Domain.Common;
using Vcm.Store.Packages;
using Vcm.Store.Records;

namespace Vcm.Manager.Images;

/// <summary>
/// The layer builds of this manager: one build per distinct layer, however many clusters wait for it, run in the
/// background so that a cluster's reconcile pass only looks at how it goes. Nothing here is the truth: a layer is
/// built when the store holds it, so a manager that restarts mid-build simply starts the build again (the store's
/// half-built folder is cleared first). Every build that really ran is recorded in the site's history with the
/// estimate it was started with (the cost model's build time), so the next estimates learn from it.
/// </summary>
public sealed partial class LayerBuilds(IImageLayers layers, PackageHistoryStore history, TimeProvider clock, ILogger<LayerBuilds> logger) : IDisposable
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

    /// <summary>
    /// The build of the plan's layer: started by the first caller (whose <paramref name="estimatedSeconds"/> is
    /// recorded with it), joined by the others.
    /// </summary>
    public Task<LayerBuild> Build(LayerPlan plan, double? estimatedSeconds) =>
        _builds.GetOrAdd(plan.Layer, layer => new Lazy<Task<LayerBuild>>(() =>
        {
            // Not in the caller's execution context: the build outlives its pass, and records its history on its own.
            using var detached = ExecutionContext.SuppressFlow();
            return Task.Run(() => RunAsync(plan, estimatedSeconds));
        })).Value;

    private async Task<LayerBuild> RunAsync(LayerPlan plan, double? estimatedSeconds)
    {
        LayerBuild done;
        try
        {
            done = await layers.EnsureAsync(plan, line => LogProgress(logger, plan.Layer, line), _stopping.Token);
        }
        catch (Exception e) when (e is not DriverException and not OperationCanceledException)
        {
            throw new DriverException($"building layer {plan.Layer} failed: {e.Message}", e);
        }

        if (done.Built)
        {
            await RecordAsync(plan, done, estimatedSeconds);
        }

        return done;
    }

    /// <summary>Adds a build to the history; a history that cannot be written costs a sample, never the layer.</summary>
    private async Task RecordAsync(LayerPlan plan, LayerBuild done, double? estimatedSeconds)
    {
        try
        {
            await history.AddBuildAsync(new LayerBuildRecord
            {
                Id = Ids.New(),
                Layer = plan.Layer,
                Image = plan.Image,
                Packages = plan.Installs.Count,
                Bytes = done.Bytes,
                InstalledKib = plan.InstalledKib,
                DurationMs = (long)(done.Seconds * 1000),
                EstimatedMs = estimatedSeconds is { } estimate ? (long)(estimate * 1000) : null,
                AtMs = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            }, _stopping.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNotRecorded(logger, plan.Layer, e);
        }
    }

    /// <summary>Forgets a finished build (so a later cluster asks the store again) and a cluster's plan.</summary>
    public void Forget(string clusterId, string layer)
    {
        _plans.TryRemove(clusterId, out _);
        ForgetBuild(layer);
    }

    /// <summary>Forgets a finished build, so the next caller asks the store again.</summary>
    public void ForgetBuild(string layer)
    {
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "layer {Layer}: its build could not be added to the site's history")]
    private static partial void LogNotRecorded(ILogger logger, string layer, Exception error);

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
