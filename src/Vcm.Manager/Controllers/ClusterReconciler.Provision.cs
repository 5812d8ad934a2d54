using Vcm.Domain.Clusters;
using Vcm.Domain.Events;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Network;
using Vcm.Drivers.Rpc;
using Vcm.Store.Clusters;
using Vcm.Store.Records;

namespace Vcm.Manager.Controllers;

public sealed partial class ClusterReconciler
{
    private static readonly TimeSpan BootPoll = TimeSpan.FromMilliseconds(300);

    /// <summary>How long before a VM's (re)start a phone-home report may date and still count (clocks of hosts differ a little).</summary>
    private static readonly TimeSpan ReportSkew = TimeSpan.FromSeconds(2);

    private async Task<ReconcileResult> ProvisionAsync(ClusterScope scope, CancellationToken cancellationToken)
    {
        var cluster = scope.Cluster;
        if (await PrepareLayerAsync(scope, cancellationToken) is { } layerPending)
        {
            return layerPending;
        }

        var (nodes, plan, routes) = await LoadPlanAsync(scope, cancellationToken);
        if (nodes.All(n => n.State.IsRunning()) && nodes.Any(n => n.State == NodeState.Booting)
            && await WaitForBootAsync(scope, nodes, plan, routes, cancellationToken) is { } waited)
        {
            return waited;
        }

        var infrastructure = await agents.ApplyAsync(plan.Infrastructure(), routes, cancellationToken);
        var failures = StepFailure.In(infrastructure).ToList();
        if (failures.Count == 0)
        {
            var shared = infrastructure.SelectMany(h => h.Results).FirstOrDefault(r => r.Volume is not null)?.Volume;
            var built = await agents.ApplyAsync(plan.Nodes(shared, routes), routes, cancellationToken);
            failures.AddRange(StepFailure.In(built));
            var reports = await GatewayReportsAsync(plan, routes, cancellationToken);
            Observe(scope, nodes, plan, built, reports);
            foreach (var observation in await SyncPartsAsync(scope, nodes, reports, cancellationToken))
            {
                scope.Observe(observation);
            }
        }

        var running = nodes.Count(n => scope.StateOf(n) == NodeState.Ready);
        cluster.NodesReady = running;
        if (failures.Count == 0 && running == nodes.Count)
        {
            return BecomeReady(scope, nodes.Count);
        }

        var message = failures.Count > 0 ? StepFailure.Describe(failures) : $"{running} of {nodes.Count} nodes up";
        if (failures.Any(f => f.Result.Terminal))
        {
            scope.MoveTo(ClusterPhase.Failed, message);
            return ReconcileResult.After(scope.End - scope.Now);
        }

        if (scope.NowMs - cluster.PhaseSinceMs > options.ProvisionDeadline.TotalMilliseconds)
        {
            scope.MoveTo(ClusterPhase.Failed, $"still not built after {options.ProvisionDeadline.TotalMinutes:0} minutes: {message}");
            return ReconcileResult.After(scope.End - scope.Now);
        }

        if (failures.Count == 0)
        {
            // Everything is made and the VMs run; nodes are still booting. Not a failure: look again soon.
            cluster.Reason = $"{running} of {nodes.Count} nodes up; the rest are booting";
            return ReconcileResult.After(BootPoll);
        }

        return ReconcileResult.After(RetryDelay(scope.Fail(EventReason.StepFailed, message)));
    }

    private ReconcileResult BecomeReady(ClusterScope scope, int nodes)
    {
        scope.MoveTo(ClusterPhase.Ready, $"{nodes} of {nodes} nodes up");
        scope.Cluster.ObservedGeneration = scope.Cluster.Generation;
        LogPhase(logger, scope.Cluster.Name, ClusterPhase.Ready, scope.Cluster.Reason!);
        return Recheck(scope);
    }

    /// <summary>
    /// The last pass built everything and only boots are awaited: look at phone-home reports and whether the VMs
    /// still run — without ensuring every host object again, which would take CPU from the booting guests. Null
    /// when a VM is gone or stopped (or a host did not answer): then a full pass follows.
    /// </summary>
    private async Task<ReconcileResult?> WaitForBootAsync(
        ClusterScope scope, IReadOnlyList<NodeRecord> nodes, HostPlan plan, IReadOnlyDictionary<string, Agents.AgentRoute> routes, CancellationToken cancellationToken)
    {
        var vms = await agents.ListVmsAsync(plan.NodeHostIds.Select(plan.HostName).ToList(), routes, cancellationToken);
        foreach (var node in plan.LocalNodes)
        {
            if (vms.GetValueOrDefault(plan.HostName(node.HostId!)) is not { } onHost
                || onHost.FirstOrDefault(v => v.Name == plan.VmName(node)) is not { State: VmState.Running })
            {
                return null;
            }
        }

        var reports = await GatewayReportsAsync(plan, routes, cancellationToken) ?? new Dictionary<string, NodeReport>();
        var synced = await SyncPartsAsync(scope, nodes, reports, cancellationToken);
        if (synced.Any(o => !o.State.IsRunning()))
        {
            return null; // a node at another site is not running: a full pass follows
        }

        var remote = new HashSet<string>(StringComparer.Ordinal);
        foreach (var observation in synced)
        {
            scope.Observe(observation);
            remote.Add(observation.Name);
        }

        foreach (var node in nodes.Where(n => n.State == NodeState.Booting && !remote.Contains(n.Name)))
        {
            if (reports.TryGetValue(node.Name, out var report)
                && report.At.ToUnixTimeMilliseconds() >= (node.BootedMs ?? 0) - (long)ReportSkew.TotalMilliseconds)
            {
                var newKey = ReportedHostKey.NewPin(node, report);
                scope.Observe(new(node.Name, NodeState.Ready, null, null, newKey?.HostKey, newKey?.Fingerprint));
                RecordReport(scope, node, report);
            }
        }

        var ready = nodes.Count(n => scope.StateOf(n) == NodeState.Ready);
        scope.Cluster.NodesReady = ready;
        if (ready == nodes.Count)
        {
            return BecomeReady(scope, nodes.Count);
        }

        if (scope.NowMs - scope.Cluster.PhaseSinceMs > options.ProvisionDeadline.TotalMilliseconds)
        {
            return null; // let the full pass judge and fail it with what it sees
        }

        scope.Cluster.Reason = $"{ready} of {nodes.Count} nodes up; the rest are booting";
        return ReconcileResult.After(BootPoll);
    }

    /// <summary>The latest phone-home report of each node, or null when the gateway's host did not answer.</summary>
    private async Task<IReadOnlyDictionary<string, NodeReport>?> GatewayReportsAsync(
        HostPlan plan, IReadOnlyDictionary<string, Agents.AgentRoute> routes, CancellationToken cancellationToken)
    {
        if (plan.IsPart)
        {
            return new Dictionary<string, NodeReport>(); // the home's gateway hears its nodes phone home
        }

        var host = plan.GatewayHostName;
        var reports = routes.TryGetValue(host, out var route)
            ? await agents.ReportsAsync(host, plan.GatewayName, route, cancellationToken)
            : null;
        return reports?.GroupBy(r => r.Name).ToDictionary(g => g.Key, g => g.MaxBy(r => r.At)!, StringComparer.Ordinal);
    }

    /// <summary>
    /// Each node's state from what its host said of its VM and what its gateway heard from it: a VM that runs is
    /// booting until the node phoned home after the VM's last (re)start, then ready (its host key is kept).
    /// </summary>
    private static void Observe(
        ClusterScope scope, IReadOnlyList<NodeRecord> nodes, HostPlan plan, IReadOnlyList<HostWorkResult> built, IReadOnlyDictionary<string, NodeReport>? reports)
    {
        var byVm = nodes.ToDictionary(plan.VmName, StringComparer.Ordinal);
        foreach (var result in built.SelectMany(h => h.Results).Where(r => r.Kind == StepKind.EnsureVm))
        {
            if (!byVm.TryGetValue(result.Target, out var node))
            {
                continue;
            }

            if (result.Vm is not { } vm)
            {
                scope.Observe(new(node.Name, result.Outcome == StepOutcome.Failed ? NodeState.Failed : NodeState.Pending, result.Error));
                continue;
            }

            if (vm.State != VmState.Running)
            {
                scope.Observe(new(node.Name, NodeState.Stopped, vm.Detail));
                continue;
            }

            long? bootedNow = result.Outcome is StepOutcome.Created or StepOutcome.Updated || node.BootedMs is null ? scope.NowMs : null;
            var booted = bootedNow ?? node.BootedMs!.Value;
            if (plan.IsPart)
            {
                // at a part's site, a running VM is all there is to see: its home judges when the node is up
                scope.Observe(new(node.Name, NodeState.Ready, null, bootedNow));
            }
            else if (reports is null && node.State == NodeState.Ready && bootedNow is null)
            {
                // the gateway's host did not answer: no verdict on a node that was up and has not restarted
                scope.Observe(new(node.Name, NodeState.Ready));
            }
            else if (reports is not null && reports.TryGetValue(node.Name, out var report) && report.At.ToUnixTimeMilliseconds() >= booted - (long)ReportSkew.TotalMilliseconds)
            {
                var newKey = ReportedHostKey.NewPin(node, report);
                scope.Observe(new(node.Name, NodeState.Ready, null, bootedNow, newKey?.HostKey, newKey?.Fingerprint));
                if (node.State != NodeState.Ready)
                {
                    RecordReport(scope, node, report);
                }
            }
            else
            {
                scope.Observe(new(node.Name, NodeState.Booting, null, bootedNow));
            }
        }
    }

    /// <summary>A ready cluster: are all its VMs still running? If not, it is degraded and gets repaired.</summary>
    private async Task<ReconcileResult> WatchAsync(ClusterScope scope, CancellationToken cancellationToken)
    {
        var cluster = scope.Cluster;
        var (nodes, plan, routes) = await LoadPlanAsync(scope, cancellationToken);
        var observed = await agents.ListVmsAsync(plan.NodeHostIds.Select(plan.HostName).ToList(), routes, cancellationToken);
        if (plan.Vpns.Count > 0)
        {
            // supervision: a VPN end whose process died is started again
            var vpnFailures = StepFailure.In(await agents.ApplyAsync(plan.VpnWork(), routes, cancellationToken));
            if (vpnFailures.Count > 0)
            {
                scope.Event(EventType.Warning, EventReason.VpnFailed, StepFailure.Describe(vpnFailures));
            }
        }

        var lost = new List<string>();
        foreach (var remote in await SyncPartsAsync(scope, nodes, null, cancellationToken))
        {
            // without phone-home reports there is no new verdict on a running node: only one that stopped is recorded
            if (!remote.State.IsRunning())
            {
                scope.Observe(remote);
                lost.Add(remote.Name);
            }
        }

        foreach (var node in plan.LocalNodes)
        {
            if (observed.GetValueOrDefault(plan.HostName(node.HostId!)) is not { } vms)
            {
                continue; // the host's agent did not answer: no verdict on its VMs
            }

            var vm = vms.FirstOrDefault(v => v.Name == plan.VmName(node));
            if (vm is null)
            {
                scope.Observe(new(node.Name, NodeState.Missing, "its VM is gone from the host"));
                lost.Add(node.Name);
            }
            else if (vm.State != VmState.Running)
            {
                scope.Observe(new(node.Name, NodeState.Stopped, vm.Detail ?? "its VM stopped"));
                lost.Add(node.Name);
            }
        }

        if (lost.Count == 0)
        {
            return Recheck(scope);
        }

        cluster.NodesReady = nodes.Count - lost.Count;
        var names = string.Join(", ", lost.Take(5)) + (lost.Count > 5 ? $" and {lost.Count - 5} more" : "");
        scope.MoveTo(ClusterPhase.Degraded, $"{lost.Count} of {nodes.Count} nodes not running ({names}); repairing");
        LogPhase(logger, cluster.Name, ClusterPhase.Degraded, cluster.Reason!);
        return ReconcileResult.Now;
    }

    private ReconcileResult Recheck(ClusterScope scope)
    {
        var untilEnd = scope.End - scope.Now;
        return ReconcileResult.After(untilEnd < options.ReadyRecheck ? untilEnd : options.ReadyRecheck);
    }
}
