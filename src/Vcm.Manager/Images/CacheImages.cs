using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vcm.Domain.Packages;
using Vcm.Drivers;
using Vcm.Drivers.Images;
using Vcm.Manager.Configuration;
using Vcm.Store.Packages;
using Vcm.Store.Records;

namespace Vcm.Manager.Images;

/// <summary>
/// Keeps each image's cache image: a layer of the image holding exactly the packages asked for in at least M% of its
/// last N requests (<see cref="FrequentPackages"/>), built through <see cref="LayerBuilds"/> like any package-set
/// layer and built again — a new content-addressed layer — when that set changes. The state is the database's
/// (<c>cache_images</c>): the new set is written before its build starts, so a manager that restarts mid-build finds
/// it Building and builds it again (the build is idempotent); a set that cannot be built is Failed until the set
/// changes. Runs after every create with packages and every <see cref="CacheImageOptions.Recheck"/>.
/// </summary>
public sealed partial class CacheImages(
    PackageHistoryStore history, CacheImageStore store, IImageLayers layers, LayerBuilds builds, ReadyEstimator estimator,
    ManagerOptions options, TimeProvider clock, ILogger<CacheImages> logger) : BackgroundService
{
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Asks for a pass soon (a request was recorded).</summary>
    public void Trigger() => Volatile.Read(ref _wake).TrySetResult();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Controllers.Enabled)
        {
            return; // an API-only manager builds nothing
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var wake = Volatile.Read(ref _wake);
                await RunOnceAsync(stoppingToken);
                using var pause = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                await Task.WhenAny(wake.Task, Task.Delay(options.CacheImages.Recheck, clock, pause.Token));
                await pause.CancelAsync();
                if (wake.Task.IsCompleted)
                {
                    Interlocked.CompareExchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), wake);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    /// <summary>One pass over every image asked for with packages: each image on its own, an error logged with its name.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> images;
        try
        {
            images = await history.ImagesAsync(0, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, "*", e);
            return;
        }

        foreach (var image in images)
        {
            try
            {
                await EnsureAsync(image, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, image, e);
            }
        }
    }

    /// <summary>Brings an image's cache image to its frequent set: unchanged, built, or failed; null when it never had one.</summary>
    public async Task<CacheImageRecord?> EnsureAsync(string image, CancellationToken cancellationToken)
    {
        var policy = options.CacheImages.Policy;
        var recent = await history.RecentRequestsAsync(image, policy.Window, cancellationToken);
        var set = FrequentPackages.Of(recent, image, policy);
        var text = PackageText.Join(set);
        var row = await store.GetAsync(image, cancellationToken);
        if ((row is null && set.Count == 0) || (row is not null && row.Packages == text && row.State != CacheImageState.Building))
        {
            return row;
        }

        if (row is null || row.Packages != text)
        {
            row = await SaveAsync(row ?? new CacheImageRecord { Image = image, Packages = text, State = CacheImageState.Building }, r =>
            {
                r.Packages = text;
                r.Layer = null;
                r.Requests = recent.Count;
                (r.State, r.Reason) = set.Count == 0
                    ? (CacheImageState.Ready, $"no package is asked for in {policy.MinPercent}% of the last {policy.Window} requests")
                    : (CacheImageState.Building, $"{set.Count} packages asked for in at least {policy.Threshold} of the last {policy.Window} requests");
            }, cancellationToken);
            if (set.Count == 0)
            {
                return row;
            }

            LogBuilding(logger, image, text);
        }

        return await BuildAsync(row, set, cancellationToken);
    }

    private async Task<CacheImageRecord> BuildAsync(CacheImageRecord row, IReadOnlyList<string> set, CancellationToken cancellationToken)
    {
        var resolution = await layers.ResolveAsync(row.Image, set, cancellationToken);
        if (resolution.Plan is not { } plan)
        {
            var why = resolution.Unknown.Count > 0 ? $"the Debian archive has no package {string.Join(", ", resolution.Unknown)}" : resolution.Error;
            return await SaveAsync(row, r => (r.State, r.Reason) = (CacheImageState.Failed, why), cancellationToken);
        }

        if (plan.Layer == plan.Image)
        {
            return await SaveAsync(row, r => (r.State, r.Reason) = (CacheImageState.Ready, $"every package of the set is in {plan.Image} already"), cancellationToken);
        }

        LayerBuild done;
        try
        {
            done = await builds.Build(plan, await estimator.BuildSecondsAsync(plan, cancellationToken)).WaitAsync(cancellationToken);
        }
        catch (DriverException e) when (e.Terminal)
        {
            builds.ForgetBuild(plan.Layer);
            return await SaveAsync(row, r => (r.State, r.Reason) = (CacheImageState.Failed, e.Message), cancellationToken);
        }

        builds.ForgetBuild(plan.Layer);
        LogReady(logger, row.Image, plan.Layer);
        return await SaveAsync(row, r =>
        {
            r.Layer = plan.Layer;
            r.State = CacheImageState.Ready;
            r.Reason = $"{set.Count} packages ({plan.Installs.Count} with what they need), {done.Bytes / (1024 * 1024)} MiB over {plan.Image}";
        }, cancellationToken);
    }

    /// <summary>Changes a row and writes it (its version checked); the row as stored after.</summary>
    private async Task<CacheImageRecord> SaveAsync(CacheImageRecord row, Action<CacheImageRecord> change, CancellationToken cancellationToken)
    {
        change(row);
        row.UpdatedMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await store.SaveAsync(row, cancellationToken);
        return await store.GetAsync(row.Image, cancellationToken) ?? row;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "cache image of {Image}: building for {Packages}")]
    private static partial void LogBuilding(ILogger logger, string image, string packages);

    [LoggerMessage(Level = LogLevel.Information, Message = "cache image of {Image}: {Layer} is ready")]
    private static partial void LogReady(ILogger logger, string image, string layer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cache image of {Image}: the pass failed; tried again on the next")]
    private static partial void LogFailed(ILogger logger, string image, Exception error);
}
