using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Clusters;
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
            var results = await agents.ApplyAsync(plan.Release(), routes, cancellationToken);
            var failures = StepFailure.In(results);
            if (failures.Count > 0)
            {
                RecordFailure(scope, "ReleaseFailed", StepFailure.Describe(failures));
                return await scope.SaveAsync(cancellationToken) ? ReconcileResult.After(RetryDelay(cluster.Attempts)) : ReconcileResult.Now;
            }

            await clusters.SetNodeStatesAsync(cluster.Id, nodes.ToDictionary(n => n.Name, _ => ("released", (string?)null)), cancellationToken);
        }

        if (cluster.HomeSite is null && !await ReleasePartsAsync(scope, cancellationToken))
        {
            // This site's share is gone; its capacity is free now. The parts at other sites are asked again later.
            await ClusterStore.FreeClaimsAsync(scope.Db, cluster.Id, cluster.SiteId, cancellationToken);
            cluster.Attempts++;
            cluster.Reason = "waiting for other sites to release their parts (see events)";
            return await scope.SaveAsync(cancellationToken) ? ReconcileResult.After(RetryDelay(cluster.Attempts)) : ReconcileResult.Now;
        }

        await using var transaction = await scope.Db.BeginWriteAsync(cancellationToken);
        await ClusterStore.FreeClaimsAsync(scope.Db, cluster.Id, cluster.SiteId, cancellationToken);
        cluster.ActiveName = null;
        cluster.ActiveVni = null;
        cluster.ActiveExternalIp = null;
        cluster.NodesReady = 0;
        scope.MoveTo(ClusterPhase.Released, "everything it held is removed from every host and its capacity is free");
        LogPhase(logger, cluster.Name, "Released", cluster.Reason!);
        if (!await scope.SaveAsync(cancellationToken))
        {
            await transaction.RollbackAsync(cancellationToken);
            return ReconcileResult.Now;
        }

        await transaction.CommitAsync(cancellationToken);
        return ReconcileResult.Done;
    }
}
