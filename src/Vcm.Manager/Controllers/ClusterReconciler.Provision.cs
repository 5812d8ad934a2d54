using Vcm.Domain.Clusters;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Rpc;

namespace Vcm.Manager.Controllers;

public sealed partial class ClusterReconciler
{
    private async Task<ReconcileResult> ProvisionAsync(ClusterScope scope, CancellationToken cancellationToken)
    {
        var cluster = scope.Cluster;
        var (nodes, plan, routes) = await LoadPlanAsync(scope, cancellationToken);

        var infrastructure = await agents.ApplyAsync(plan.Infrastructure(), routes, cancellationToken);
        var failures = StepFailure.In(infrastructure).ToList();
        var states = new Dictionary<string, (string State, string? Detail)>(StringComparer.Ordinal);
        if (failures.Count == 0)
        {
            var shared = infrastructure.SelectMany(h => h.Results).FirstOrDefault(r => r.Volume is not null)?.Volume;
            var built = await agents.ApplyAsync(plan.Nodes(shared), routes, cancellationToken);
            failures.AddRange(StepFailure.In(built));
            var byVm = nodes.ToDictionary(plan.VmName, n => n.Name, StringComparer.Ordinal);
            foreach (var result in built.SelectMany(h => h.Results).Where(r => r.Kind == "ensureVm"))
            {
                if (!byVm.TryGetValue(result.Target, out var node))
                {
                    continue;
                }

                states[node] = result.Vm is { } vm
                    ? (vm.State == VmState.Running ? "running" : "stopped", vm.Detail)
                    : result.Outcome == StepOutcome.Failed ? ("failed", result.Error) : ("pending", null);
            }
        }

        await clusters.SetNodeStatesAsync(cluster.Id, states, cancellationToken);
        var running = nodes.Count(n => states.TryGetValue(n.Name, out var s) ? s.State == "running" : n.State == "running");
        cluster.NodesReady = running;

        if (failures.Count == 0 && running == nodes.Count)
        {
            scope.MoveTo(ClusterPhase.Ready, $"{running} of {nodes.Count} nodes running");
            cluster.ObservedGeneration = cluster.Generation;
            LogPhase(logger, cluster.Name, "Ready", cluster.Reason!);
            return await scope.SaveAsync(cancellationToken) ? Recheck(scope) : ReconcileResult.Now;
        }

        var message = failures.Count > 0 ? StepFailure.Describe(failures) : $"{running} of {nodes.Count} nodes running";
        if (failures.Any(f => f.Result.Terminal))
        {
            scope.MoveTo(ClusterPhase.Failed, message);
            return await scope.SaveAsync(cancellationToken) ? ReconcileResult.After(scope.End - scope.Now) : ReconcileResult.Now;
        }

        if (scope.NowMs - cluster.PhaseSinceMs > options.ProvisionDeadline.TotalMilliseconds)
        {
            scope.MoveTo(ClusterPhase.Failed, $"still not built after {options.ProvisionDeadline.TotalMinutes:0} minutes: {message}");
            return await scope.SaveAsync(cancellationToken) ? ReconcileResult.After(scope.End - scope.Now) : ReconcileResult.Now;
        }

        RecordFailure(scope, "StepFailed", message);
        return await scope.SaveAsync(cancellationToken) ? ReconcileResult.After(RetryDelay(cluster.Attempts)) : ReconcileResult.Now;
    }

    /// <summary>A ready cluster: are all its VMs still running? If not, it is degraded and gets repaired.</summary>
    private async Task<ReconcileResult> WatchAsync(ClusterScope scope, CancellationToken cancellationToken)
    {
        var cluster = scope.Cluster;
        var (nodes, plan, routes) = await LoadPlanAsync(scope, cancellationToken);
        var observed = await agents.ListVmsAsync(plan.NodeHostIds.Select(plan.HostName).ToList(), routes, cancellationToken);
        var lost = new Dictionary<string, (string State, string? Detail)>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (observed.GetValueOrDefault(plan.HostName(node.HostId)) is not { } vms)
            {
                continue; // the host's agent did not answer: no verdict on its VMs
            }

            var vm = vms.FirstOrDefault(v => v.Name == plan.VmName(node));
            if (vm is null)
            {
                lost[node.Name] = ("missing", "its VM is gone from the host");
            }
            else if (vm.State != VmState.Running)
            {
                lost[node.Name] = ("stopped", vm.Detail ?? "its VM stopped");
            }
        }

        if (lost.Count == 0)
        {
            return Recheck(scope);
        }

        await clusters.SetNodeStatesAsync(cluster.Id, lost, cancellationToken);
        cluster.NodesReady = nodes.Count - lost.Count;
        var names = string.Join(", ", lost.Keys.Take(5)) + (lost.Count > 5 ? $" and {lost.Count - 5} more" : "");
        scope.MoveTo(ClusterPhase.Degraded, $"{lost.Count} of {nodes.Count} nodes not running ({names}); repairing");
        LogPhase(logger, cluster.Name, "Degraded", cluster.Reason!);
        await scope.SaveAsync(cancellationToken);
        return ReconcileResult.Now;
    }

    private ReconcileResult Recheck(ClusterScope scope)
    {
        var untilEnd = scope.End - scope.Now;
        return ReconcileResult.After(untilEnd < options.ReadyRecheck ? untilEnd : options.ReadyRecheck);
    }
}
