using Vcm.Domain.Clusters;
using Vcm.Domain.Events;
using Vcm.Domain.Moves;
using Vcm.Domain.Scheduling;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Rpc;
using Vcm.Store.Records;

namespace Vcm.Manager.Controllers;

public sealed partial class ClusterReconciler
{
    /// <summary>
    /// Drives the cluster's oldest active node migration one state on (see <see cref="MigrationState"/>); null when
    /// there is none to drive now (a pending one waits while the cluster is not Ready). Every step is idempotent on the
    /// hosts, so a pass that dies anywhere is simply run again: the receiver is answered again, a migration that is
    /// running is waited for and one that completed is reported again, removals count absent as done. The node is
    /// recorded on its new host — and the old host's claim cut — only once the source reported the switch-over, in the
    /// pass's one transaction; its old copy is removed only after that.
    /// </summary>
    private async Task<ReconcileResult?> MigrateAsync(ClusterScope scope, CancellationToken cancellationToken)
    {
        if (scope.Cluster.ActiveVni is null)
        {
            return null;
        }

        var active = await scope.Session.ActiveMigrationsAsync(cancellationToken);
        if (scope.Cluster.HomeSite is not null && await ArriveAsync(scope, active, cancellationToken) is { } arrived)
        {
            return arrived;
        }

        // a part's nodes move between the hosts of its site as any node does; its arrivals are driven above
        var own = active.Where(m => m.FromSite is null).ToList();
        var migration = own.FirstOrDefault(m => m.State != MigrationState.Pending) ?? own.FirstOrDefault();
        if (migration is null || (migration.State == MigrationState.Pending && scope.Phase != ClusterPhase.Ready))
        {
            return null;
        }

        var (nodes, plan, routes) = await LoadPlanAsync(scope, cancellationToken);
        var node = nodes.FirstOrDefault(n => n.Name == migration.Node);
        if (node is null && migration.State != MigrationState.Aborting)
        {
            await GiveUpAsync(scope, migration, plan, $"node {migration.Node} is gone from the cluster", cancellationToken);
            return ReconcileResult.Now;
        }

        if (migration.ToSite is not null)
        {
            return migration.State switch
            {
                MigrationState.Pending => await MoveAcrossAsync(scope, migration, plan, routes, cancellationToken),
                MigrationState.Moved => await FinishMoveAcrossAsync(scope, migration, node!, plan, routes, cancellationToken),
                _ => await AbortMoveAcrossAsync(scope, migration, plan, routes, cancellationToken),
            };
        }

        return migration.State switch
        {
            MigrationState.Pending => await MoveAsync(scope, migration, node!, plan, routes, cancellationToken),
            MigrationState.Moved => await FinishMoveAsync(scope, migration, node!, plan, routes, cancellationToken),
            _ => await AbortMoveAsync(scope, migration, plan, routes, cancellationToken),
        };
    }

    private async Task<ReconcileResult> MoveAsync(
        ClusterScope scope, MigrationRecord migration, NodeRecord node, HostPlan plan, IReadOnlyDictionary<string, Agents.AgentRoute> routes, CancellationToken cancellationToken)
    {
        migration.StartedMs ??= scope.NowMs;
        var (shared, failures) = await InfrastructureAsync(plan, routes, cancellationToken);
        if (failures.Count > 0)
        {
            await GiveUpAsync(scope, migration, plan, $"the segment could not be made ready for it: {StepFailure.Describe(failures)}", cancellationToken);
            return ReconcileResult.Now;
        }

        var prepared = await agents.ApplyAsync([plan.PrepareIncoming(migration, node, shared)], routes, cancellationToken);
        var incoming = prepared.SelectMany(h => h.Results).FirstOrDefault(r => r.Kind == StepKind.PrepareIncomingVm)?.Incoming;
        if (StepFailure.In(prepared) is var notPrepared && (notPrepared.Count > 0 || incoming is null))
        {
            var why = notPrepared.Count > 0 ? StepFailure.Describe(notPrepared) : "its agent named no receiver";
            await GiveUpAsync(scope, migration, plan, $"{plan.Place(migration, from: false)} could not receive it: {why}", cancellationToken);
            return ReconcileResult.Now;
        }

        return await SendAsync(scope, migration, plan, plan.Migrate(migration, incoming), routes, cancellationToken);
    }

    /// <summary>
    /// Runs the migration on the source and records how it ended: at the switch-over the node on its new host (or
    /// site) and the source's claims cut, in the pass's transaction; a failure gives it up; no answer asks again.
    /// </summary>
    private async Task<ReconcileResult> SendAsync(
        ClusterScope scope, MigrationRecord migration, HostPlan plan, Drivers.Rpc.HostWork send, IReadOnlyDictionary<string, Agents.AgentRoute> routes, CancellationToken cancellationToken)
    {
        var sent = await agents.ApplyAsync([send], routes, cancellationToken);
        var result = sent.SelectMany(h => h.Results).FirstOrDefault(r => r.Kind == StepKind.MigrateVm);
        switch (result?.Migration)
        {
            case { Outcome: MigrationOutcome.Completed } report:
                Record(migration, report);
                await scope.Session.MoveNodeAsync(migration, Resources.Of(scope.Spec.Cpus, scope.Spec.Memory, scope.Spec.Disk), scope.Now, cancellationToken);
                migration.State = MigrationState.Moved;
                scope.Event(EventType.Normal, EventReason.Migrated,
                    $"node {migration.Node} runs on {plan.Place(migration, from: false)} (was {plan.Place(migration, from: true)})" +
                    $"{(migration.ToSite is null ? "" : ", over the cluster's VPN")}: paused {report.DowntimeMs} ms, " +
                    $"{report.TotalMs / 1000.0:0.0} s in all, {Mib(report.MemoryBytes)} memory and {Mib(report.DiskBytes)} disk sent");
                return ReconcileResult.Now;
            case { Outcome: MigrationOutcome.Failed } report:
                Record(migration, report);
                await GiveUpAsync(scope, migration, plan, report.Error ?? "the migration failed", cancellationToken);
                return ReconcileResult.Now;
            default:
                // The source did not say how it ended (its agent did not answer): QEMU may still be moving it. Ask again.
                var why = StepFailure.In(sent) is { Count: > 0 } unanswered ? StepFailure.Describe(unanswered) : "no report from the source";
                return ReconcileResult.After(RetryDelay(scope.Fail(EventReason.StepFailed, $"migrating node {migration.Node}: {why}")));
        }
    }

    private async Task<ReconcileResult> FinishMoveAsync(
        ClusterScope scope, MigrationRecord migration, NodeRecord node, HostPlan plan, IReadOnlyDictionary<string, Agents.AgentRoute> routes, CancellationToken cancellationToken)
    {
        var (shared, failures) = await InfrastructureAsync(plan, routes, cancellationToken);
        if (failures.Count == 0)
        {
            failures = StepFailure.In(await agents.ApplyAsync(plan.FinishMove(migration, node, shared), routes, cancellationToken));
        }

        if (failures.Count > 0)
        {
            return ReconcileResult.After(RetryDelay(scope.Fail(EventReason.StepFailed, $"removing node {migration.Node}'s old copy: {StepFailure.Describe(failures)}")));
        }

        migration.State = MigrationState.Completed;
        migration.EndedMs = scope.NowMs;
        return ReconcileResult.Now;
    }

    private async Task<ReconcileResult> AbortMoveAsync(
        ClusterScope scope, MigrationRecord migration, HostPlan plan, IReadOnlyDictionary<string, Agents.AgentRoute> routes, CancellationToken cancellationToken)
    {
        var failures = StepFailure.In(await agents.ApplyAsync(plan.AbortMove(migration), routes, cancellationToken));
        if (failures.Count > 0)
        {
            return ReconcileResult.After(RetryDelay(scope.Fail(EventReason.StepFailed, $"removing what node {migration.Node}'s failed migration left: {StepFailure.Describe(failures)}")));
        }

        migration.State = MigrationState.Failed;
        migration.EndedMs = scope.NowMs;
        return ReconcileResult.Now;
    }

    /// <summary>Ensures the network and storage (the destination's segment among them); the shared volume's address for the head's VM.</summary>
    private async Task<(Drivers.Storage.VolumeStatus? Shared, IReadOnlyList<StepFailure> Failures)> InfrastructureAsync(
        HostPlan plan, IReadOnlyDictionary<string, Agents.AgentRoute> routes, CancellationToken cancellationToken)
    {
        var infrastructure = await agents.ApplyAsync(plan.Infrastructure(), routes, cancellationToken);
        return (infrastructure.SelectMany(h => h.Results).FirstOrDefault(r => r.Volume is not null)?.Volume, StepFailure.In(infrastructure));
    }

    /// <summary>The node stays where it is: the destination's capacity is freed with this pass, its receiver removed by the next.</summary>
    private static async Task GiveUpAsync(ClusterScope scope, MigrationRecord migration, HostPlan plan, string error, CancellationToken cancellationToken)
    {
        migration.State = MigrationState.Aborting;
        migration.Error = error;
        scope.Event(EventType.Warning, EventReason.MigrationFailed,
            $"node {migration.Node} stays on {plan.Place(migration, from: true)}; moving it to {plan.Place(migration, from: false)} failed: {error}");
        await scope.Session.FreeDestinationAsync(migration, cancellationToken);
    }

    private static void Record(MigrationRecord migration, MigrationReport report)
    {
        migration.TotalMs = report.TotalMs;
        migration.DowntimeMs = report.DowntimeMs;
        migration.MemoryBytes = report.MemoryBytes;
        migration.DiskBytes = report.DiskBytes;
    }

    private static string Mib(long bytes) => $"{bytes / 1048576.0:0.#} MiB";
}
