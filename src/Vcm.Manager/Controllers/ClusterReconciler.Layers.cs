using Vcm.Domain.Clusters;
using Vcm.Domain.Events;
using Vcm.Domain.Packages;
using Vcm.Drivers;

namespace Vcm.Manager.Controllers;

public sealed partial class ClusterReconciler
{
    private static readonly TimeSpan LayerPoll = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Before anything is built for a cluster that asked for packages: the layer that holds them, found built or built
    /// now (in the background; this pass only looks). Null when the cluster may go on (its layer is recorded on it);
    /// otherwise when to look again, or the cluster has failed with the reason.
    /// </summary>
    private async Task<ReconcileResult?> PrepareLayerAsync(ClusterScope scope, CancellationToken cancellationToken)
    {
        var cluster = scope.Cluster;
        if (cluster.Layer is not null)
        {
            return null;
        }

        var packages = scope.Spec.LayerPackages();
        if (packages.Count == 0)
        {
            cluster.Layer = scope.Spec.Image; // recorded too, so the store can say which clusters booted from what
            return null;
        }

        var resolution = await layerBuilds.PlanAsync(cluster.Id, scope.Spec.Image, packages, cancellationToken);
        if (resolution.Plan is not { } plan)
        {
            var why = resolution.Unknown.Count > 0
                ? $"the Debian archive has no package {string.Join(", ", resolution.Unknown)}"
                : resolution.Error ?? "its packages cannot be resolved";
            scope.MoveTo(ClusterPhase.Failed, $"no layer for its packages: {why}");
            return ReconcileResult.After(scope.End - scope.Now);
        }

        if (plan.Layer == plan.Image)
        {
            cluster.Layer = plan.Image; // everything asked for is in the image already
            scope.Event(EventType.Normal, EventReason.LayerReady, $"{string.Join(", ", plan.Requested)}: already in {plan.Image}");
            return null;
        }

        var hosts = (await scope.Session.NodesAsync(cancellationToken)).Where(n => n.HostId is not null).Select(n => n.HostId!).Distinct().ToList();
        var estimate = await estimator.EstimateAsync(plan, hosts, scope.Spec.Install, cancellationToken);
        if (estimate is { Way: ReadyWay.CacheImage, Chosen.Boots: { } cache })
        {
            layerBuilds.Forget(cluster.Id, plan.Layer);
            cluster.Layer = cache;
            cluster.Estimate = estimate;
            scope.Event(EventType.Normal, EventReason.LayerReady,
                $"layer {cache} is the cache image of {plan.Image} and holds every package asked for ({string.Join(", ", plan.Requested)}): ≈ {estimate.Seconds:0} s to Ready; {estimate.Why}");
            return null;
        }

        if (estimate is { Way: var way, Chosen.Boots: { } boots } && way.InstallsAtBoot())
        {
            layerBuilds.Forget(cluster.Id, plan.Layer);
            cluster.Layer = boots; // HostPlan gives the gateway the packages to install (GatewaySetup.Packages)
            cluster.Estimate = estimate;
            scope.Event(EventType.Normal, EventReason.InstallAtBoot,
                $"nodes boot {boots} and install {string.Join(", ", plan.Requested)} at boot from the site's package cache ({way}{(scope.Spec.Install == InstallMode.Boot ? ", asked for with --install boot" : "")}): ≈ {estimate.Seconds:0} s to Ready; {estimate.Why}");
            return null;
        }

        var waiting = $"building layer {plan.Layer}: {plan.Installs.Count} packages for {string.Join(", ", plan.Requested)}";
        if (cluster.Reason != waiting)
        {
            cluster.Estimate = estimate; // the estimate this build is judged by
            if (estimate.Way != ReadyWay.LayerExact)
            {
                scope.Event(EventType.Normal, EventReason.LayerBuilding, $"{waiting} ({BuildNote(estimate)})");
                cluster.Reason = waiting;
            }
        }

        var estimatedBuild = BuildEstimate(cluster.Estimate);
        var build = layerBuilds.Build(plan, estimatedBuild);
        if (!build.IsCompleted)
        {
            return ReconcileResult.After(LayerPoll);
        }

        layerBuilds.Forget(cluster.Id, plan.Layer);
        if (build.Exception?.GetBaseException() is { } error)
        {
            var message = $"layer {plan.Layer} could not be built: {error.Message}";
            if (error is DriverException { Terminal: true })
            {
                scope.MoveTo(ClusterPhase.Failed, message);
                return ReconcileResult.After(scope.End - scope.Now);
            }

            return ReconcileResult.After(RetryDelay(scope.Fail(EventReason.StepFailed, message)));
        }

        var done = build.Result;
        if (done.MinDiskMb > scope.Spec.Disk.Mebibytes)
        {
            scope.MoveTo(ClusterPhase.Failed, $"layer {plan.Layer} needs a disk of at least {done.MinDiskMb} MiB; the cluster asked for {scope.Spec.Disk.Mebibytes} MiB (--disk)");
            return ReconcileResult.After(scope.End - scope.Now);
        }

        cluster.Layer = plan.Layer;
        scope.Event(EventType.Normal, EventReason.LayerReady, done.Built
            ? $"layer {plan.Layer} built in {done.Seconds:0.0} s{VersusEstimate(done.Seconds, estimatedBuild)}: {plan.Installs.Count} packages, {done.Bytes / (1024.0 * 1024):0} MiB over {plan.Image}"
            : $"layer {plan.Layer} was built already ({plan.Installs.Count} packages over {plan.Image}); nothing to install");
        return null;
    }

    /// <summary>What the cost model said of the build this cluster waits for.</summary>
    private static string BuildNote(ReadyEstimate estimate)
    {
        var build = BuildEstimate(estimate) is { } seconds ? $"estimated {seconds:0} s to build; " : "";
        return $"{build}{estimate.Way} ≈ {estimate.Seconds:0} s to Ready: {estimate.Why}";
    }

    private static double? BuildEstimate(ReadyEstimate? estimate) =>
        estimate?.Considered.FirstOrDefault(w => w.Way == ReadyWay.BuildLayer)?.BuildSeconds;

    private static string VersusEstimate(double actual, double? estimated) => estimated is > 0 and var e
        ? $" (estimated {e:0.0} s, {(actual - e) / e:+0%;-0%;0%})"
        : " (no estimate)";
}
