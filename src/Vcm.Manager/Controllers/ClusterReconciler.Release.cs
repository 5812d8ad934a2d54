using Vcm.Domain.Clusters;
using Vcm.Domain.Events;
using Vcm.Store.Clusters;

namespace Vcm.Manager.Controllers;

public sealed partial class ClusterReconciler
{
    /// <summary>Deletes everything the cluster may have made on hosts, then frees its claims and name: Released.</summary>
    private async Task<ReconcileResult> ReleaseAsync(ClusterScope scope, CancellationToken cancellationToken)
    {
        var cluster = scope.Cluster;
        if (cluster.ActiveVni is not null)
        {
            // Provisioning began, so things may exist on hosts: remove every one of them (absent counts as done).
            var (nodes, plan, routes) = await LoadPlanAsync(scope, cancellationToken);
            var failures = StepFailure.In(await agents.ApplyAsync(plan.Release(), routes, cancellationToken));
            if (failures.Count > 0)
            {
                return ReconcileResult.After(RetryDelay(scope.Fail(EventReason.ReleaseFailed, StepFailure.Describe(failures))));
            }

            foreach (var node in nodes)
            {
                scope.Observe(new NodeObservation(node.Name, NodeState.Released));
            }

            // a migration under way ends with the cluster: its copies are gone with the rest, its claims with the cluster's
            foreach (var migration in await scope.Session.ActiveMigrationsAsync(cancellationToken))
            {
                migration.Error ??= migration.State == Domain.Moves.MigrationState.Moved ? null : "the cluster was released";
                migration.State = migration.State == Domain.Moves.MigrationState.Moved ? Domain.Moves.MigrationState.Completed : Domain.Moves.MigrationState.Failed;
                migration.EndedMs = scope.NowMs;
            }
        }

        if (cluster.HomeSite is null && await ReleasePartsAsync(scope, cancellationToken) is { Pending: > 0 } waiting)
        {
            // This site's share is gone; its capacity is free now. The parts at other sites are asked again later.
            await scope.Session.FreeClaimsAsync(cancellationToken);
            cluster.Reason = "waiting for other sites to release their parts (see events)";
            var attempts = waiting.Unanswered.Count > 0
                ? scope.Fail(EventReason.PartPendingRelease, $"{string.Join("; ", waiting.Unanswered)}; asking again until it answers")
                : ++cluster.Attempts;
            return ReconcileResult.After(RetryDelay(attempts));
        }

        await scope.Session.FreeClaimsAsync(cancellationToken);
        cluster.ActiveName = null;
        cluster.ActiveVni = null;
        cluster.ActiveExternalIp = null;
        cluster.VpnPort = null;
        cluster.NodesReady = 0;
        scope.MoveTo(ClusterPhase.Released, "everything it held is removed from every host and its capacity is free");
        LogPhase(logger, cluster.Name, ClusterPhase.Released, cluster.Reason!);
        return ReconcileResult.Done;
    }
}
