using Vcm.Domain.Clusters;
using Vcm.Domain.Events;
using Vcm.Domain.Scheduling;
using Vcm.Store.Records;

namespace Vcm.Manager.Controllers;

public sealed partial class ClusterReconciler
{
    /// <summary>
    /// A resized running cluster's next step, if it has one. Workers a shrink released (Removing) are removed from
    /// their hosts first — VMs, disks, segments left without nodes, then the gateway ensured without their DHCP and DNS
    /// entries — and only then their rows and capacity, so a pass cut short anywhere is simply done again. A Ready
    /// cluster that grew (new Pending workers) becomes Degraded with the reason, and the build makes it Ready again.
    /// </summary>
    private async Task<ReconcileResult?> ResizeAsync(ClusterScope scope, CancellationToken cancellationToken)
    {
        if (scope.Phase is not (ClusterPhase.Provisioning or ClusterPhase.Ready or ClusterPhase.Degraded))
        {
            return null;
        }

        var nodes = await scope.Session.NodesAsync(cancellationToken);
        var removing = nodes.Where(n => n.State == NodeState.Removing).ToList();
        if (removing.Count > 0)
        {
            return await RemoveReleasedAsync(scope, removing, cancellationToken);
        }

        var added = nodes.Where(n => n.State == NodeState.Pending).Select(n => n.Name).ToList();
        if (scope.Phase == ClusterPhase.Ready && added.Count > 0)
        {
            scope.MoveTo(ClusterPhase.Degraded, $"resizing to {scope.Spec.Workers} workers: building {string.Join(", ", added)}");
            return ReconcileResult.Now;
        }

        return null;
    }

    private async Task<ReconcileResult> RemoveReleasedAsync(ClusterScope scope, IReadOnlyList<NodeRecord> removing, CancellationToken cancellationToken)
    {
        var (nodes, plan, routes) = await LoadPlanAsync(scope, cancellationToken);
        var failures = StepFailure.In(await agents.ApplyAsync(plan.RemoveReleased(), routes, cancellationToken)).ToList();
        if (failures.Count == 0)
        {
            failures.AddRange(StepFailure.In(await agents.ApplyAsync(plan.Infrastructure(), routes, cancellationToken)));
        }

        var names = string.Join(", ", removing.Select(n => n.Name));
        if (failures.Count > 0)
        {
            return ReconcileResult.After(RetryDelay(scope.Fail(EventReason.StepFailed, $"removing released workers {names}: {StepFailure.Describe(failures)}")));
        }

        var spec = scope.Spec;
        await scope.Session.RemoveNodesAsync(removing, Resources.Of(spec.Cpus, spec.Memory, spec.Disk), cancellationToken);
        scope.Cluster.NodesReady = nodes.Count(n => n.State == NodeState.Ready);
        scope.Event(EventType.Normal, EventReason.NodesRemoved, $"{names} removed from their hosts; their capacity is free");
        return ReconcileResult.Now;
    }
}
