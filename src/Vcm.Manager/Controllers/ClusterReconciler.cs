using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Vcm.Domain.Clusters;
using Vcm.Domain.Events;
using Vcm.Domain.Naming;
using Vcm.Drivers.Network;
using Vcm.Manager.Admission;
using Vcm.Manager.Agents;
using Vcm.Manager.Configuration;
using Vcm.Manager.Peers;
using Vcm.Store.Clusters;
using Vcm.Store.Records;

namespace Vcm.Manager.Controllers;

/// <summary>
/// The level-based controller of one cluster. Each call reads the cluster as the database has it, takes the next
/// step of its phase, and says when to look again:
/// <list type="bullet">
/// <item>lease timer: Scheduled → Provisioning at the start; any live phase → Releasing at the end or on delete;</item>
/// <item>provisioning: ensure every host object (idempotent, deterministic names) → Ready, or Failed;</item>
/// <item>watching: a Ready cluster's VMs are checked; one not running makes it Degraded, and repair makes it Ready;</item>
/// <item>resizing: workers a shrink released are removed from their hosts, then their rows and claims; a grown Ready cluster → Degraded, built → Ready;</item>
/// <item>releasing: delete every host object, free the claims → Released.</item>
/// </list>
/// Phase methods only decide: what a pass saw and decided — node observations, part rows, events, the cluster row —
/// is written by its <see cref="ClusterSession"/> in one transaction at the end of every path. A pass that loses a
/// race (the cluster changed meanwhile) writes nothing and runs again at once; any other error is logged with the
/// cluster's key, shown as the cluster's Failing condition, and retried with capped exponential backoff.
/// </summary>
public sealed partial class ClusterReconciler(
    ClusterStore clusters,
    IAgentClient agents,
    TimeProvider clock,
    ControllerOptions options,
    ManagerIdentity manager,
    LocalSite site,
    Store.Federation.PeerStore peers,
    FederationClient federation,
    PartBroker broker,
    Images.LayerBuilds layerBuilds,
    Images.ReadyEstimator estimator,
    Metrics.ManagerMetrics metrics,
    Live.ChangeSignal changes,
    ILogger<ClusterReconciler> logger)
{
    public async Task<ReconcileResult> ReconcileAsync(string clusterId, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        string? phase = null;
        try
        {
            await using var session = await clusters.OpenSessionAsync(clusterId, cancellationToken);
            if (session is null)
            {
                return ReconcileResult.Done;
            }

            var scope = new ClusterScope(session, clock.GetUtcNow(), manager.Id);
            phase = scope.Phase.ToString();
            var result = await NextStepAsync(scope, cancellationToken);
            if (!scope.Failed)
            {
                scope.Succeeded();
            }

            var wrote = session.HasChanges;
            await session.CommitAsync(scope.NowMs, cancellationToken);
            if (wrote)
            {
                changes.Changed(clusterId);
            }

            return result;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone changed the cluster (or a part) while this pass ran: nothing of the pass was written. Read it again.
            LogRaced(logger, clusterId);
            return ReconcileResult.Now;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            metrics.ReconcileErrors.Inc();
            return await RecordErrorAsync(clusterId, e, cancellationToken);
        }
        finally
        {
            if (phase is not null)
            {
                metrics.Reconciles.WithLabels(phase).Observe(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
        }
    }

    private async Task<ReconcileResult> NextStepAsync(ClusterScope scope, CancellationToken cancellationToken)
    {
        var cluster = scope.Cluster;
        var phase = scope.Phase;
        if (PhaseTransitions.IsFinal(phase))
        {
            return ReconcileResult.Done;
        }

        if (await WithdrawIncompleteAsync(scope, cancellationToken))
        {
            return ReconcileResult.Done;
        }

        if (phase != ClusterPhase.Releasing && (cluster.DeletionRequestedMs is not null || scope.NowMs >= cluster.EndMs || PartLeaseExpired(scope)))
        {
            return BeginRelease(scope);
        }

        if (await ResizeAsync(scope, cancellationToken) is { } resized)
        {
            return resized;
        }

        if (await MigrateAsync(scope, cancellationToken) is { } migrated)
        {
            return migrated;
        }

        return phase switch
        {
            ClusterPhase.Scheduled => await StartWhenDueAsync(scope, cancellationToken),
            ClusterPhase.Provisioning or ClusterPhase.Degraded => await ProvisionAsync(scope, cancellationToken),
            ClusterPhase.Ready => await WatchAsync(scope, cancellationToken),
            ClusterPhase.Failed => ReconcileResult.After(scope.End - scope.Now),
            ClusterPhase.Releasing => await ReleaseAsync(scope, cancellationToken),
            _ => ReconcileResult.Done,
        };
    }

    /// <summary>
    /// A pass failed outside the host steps (the store refused the write, a bug): the pass wrote nothing, so the
    /// failure is recorded on its own — the Failing condition, the attempt count and, on attempts 1, 2, 4 …, an event —
    /// and the cluster is looked at again after a backoff that grows with the attempts.
    /// </summary>
    private async Task<ReconcileResult> RecordErrorAsync(string clusterId, Exception error, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var message = Describe(error);
        var attempts = 1;
        try
        {
            await clusters.UpdateAsync(clusterId, cluster =>
            {
                attempts = ++cluster.Attempts;
                cluster.Conditions = ClusterConditions.With(cluster.Conditions, ConditionType.Failing, nameof(EventReason.ReconcileFailed), message, now);
                cluster.UpdatedMs = now.ToUnixTimeMilliseconds();
                return (attempts & (attempts - 1)) == 0
                    ? [EventRecord.Create(cluster.Id, now, EventType.Warning, EventReason.ReconcileFailed, attempts == 1 ? message : $"{message} (attempt {attempts})", manager.Id)]
                    : [];
            }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogNotRecorded(logger, clusterId, e);
        }

        changes.Changed(clusterId);

        var delay = RetryDelay(attempts);
        LogFailed(logger, clusterId, attempts, delay.TotalSeconds, error);
        return ReconcileResult.After(delay);
    }

    private static string Describe(Exception error) => error switch
    {
        DbUpdateException { InnerException: { } inner } => $"the database refused a write: {inner.Message}",
        _ => $"{error.GetType().Name}: {error.Message}",
    };

    private async Task<ReconcileResult> StartWhenDueAsync(ClusterScope scope, CancellationToken cancellationToken)
    {
        var cluster = scope.Cluster;
        if (scope.NowMs < cluster.StartMs)
        {
            return ReconcileResult.After(TimeSpan.FromMilliseconds(cluster.StartMs - scope.NowMs));
        }

        if (cluster.AdminPublicKey is null && cluster.HomeSite is null)
        {
            var key = Ssh.AdminKey.Create($"vcm-admin@{cluster.Name}");
            cluster.AdminPublicKey = key.PublicLine;
            cluster.AdminPrivateKey = key.PrivatePem;
        }

        // The free VNI and address are read in the pass's own transaction, which writes the choice: no other pass can take them meanwhile.
        await scope.Session.LockSiteAsync(cancellationToken);
        if (cluster.ActiveVni is null)
        {
            var used = await scope.Session.UsedVnisAsync(cancellationToken);
            var vni = Enumerable.Range(site.VniFirst, site.VniLast - site.VniFirst + 1).Cast<int?>().FirstOrDefault(v => !used.Contains(v!.Value));
            if (vni is null)
            {
                scope.Fail(EventReason.NoVni, $"all VNIs {site.VniFirst}-{site.VniLast} of site {site.Name} are in use; waiting for one");
                return ReconcileResult.After(TimeSpan.FromSeconds(30));
            }

            cluster.ActiveVni = vni;
            cluster.Vni = vni;
        }

        if (site.External is { } external && cluster.ActiveExternalIp is null && cluster.HomeSite is null)
        {
            var address = ExternalAddresses.Pick(external.Subnet, await scope.Session.UsedExternalIpsAsync(cancellationToken));
            if (address is null)
            {
                scope.Fail(EventReason.NoExternalAddress, $"every address of the external network {external.Subnet} is in use; waiting for one");
                return ReconcileResult.After(TimeSpan.FromSeconds(30));
            }

            cluster.ActiveExternalIp = address;
            cluster.ExternalIp = address;
        }

        scope.MoveTo(ClusterPhase.Provisioning, $"start time reached; segment VNI {cluster.Vni}" + (cluster.ExternalIp is { } ip ? $", gateway {ip}" : ""));
        return ReconcileResult.Now;
    }

    private ReconcileResult BeginRelease(ClusterScope scope)
    {
        var reason = scope.Cluster.DeletionRequestedMs is not null ? "deleted"
            : scope.NowMs >= scope.Cluster.EndMs ? $"its window ended at {scope.End:u}"
            : $"its home site {scope.Cluster.HomeSite} has not renewed it for {options.PartLease.TotalSeconds:0} s";
        scope.MoveTo(ClusterPhase.Releasing, reason);
        return ReconcileResult.Now;
    }

    /// <summary>The cluster's nodes, the host records they need, and how to reach each host's agent.</summary>
    private async Task<(IReadOnlyList<NodeRecord> Nodes, HostPlan Plan, IReadOnlyDictionary<string, AgentRoute> Routes)> LoadPlanAsync(
        ClusterScope scope, CancellationToken cancellationToken)
    {
        var cluster = scope.Cluster;
        var nodes = await scope.Session.NodesAsync(cancellationToken);
        var migrations = await scope.Session.ActiveMigrationsAsync(cancellationToken);
        var hostIds = nodes.Where(n => n.HostId is not null).Select(n => n.HostId!).Append(cluster.GatewayHostId!)
            .Concat(migrations.SelectMany(m => new[] { m.FromHostId, m.ToHostId }).OfType<string>());
        if (cluster.StorageHostId is { } storage)
        {
            hostIds = hostIds.Append(storage);
        }

        var hostRecords = await scope.Session.HostsAsync(hostIds.Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
        var agentRecords = await scope.Session.AgentsAsync(hostRecords.Values.Select(h => h.AgentId).Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
        var routes = hostRecords.Values
            .Where(h => agentRecords.ContainsKey(h.AgentId))
            .ToDictionary(h => h.Name, h => new AgentRoute(h.AgentId, agentRecords[h.AgentId].Url, agentRecords[h.AgentId].Key), StringComparer.Ordinal);
        var external = site.External is { } e && cluster.ExternalIp is { } address ? new ExternalAttachment(e.Bridge, address, e.Router) : null;
        var vpns = await VpnsAsync(scope, hostRecords, HostObjectNames.Bridge(cluster.ActiveVni!.Value), cancellationToken);
        var plan = new HostPlan(cluster, nodes, hostRecords, cluster.ActiveVni!.Value, external, vpns, migrations);
        return (nodes, plan, routes);
    }

    private TimeSpan RetryDelay(int attempts) => Backoff.For(attempts, options.RetryBase, options.RetryMax);

    [LoggerMessage(Level = LogLevel.Information, Message = "cluster {Cluster}: {Phase} ({Reason})")]
    private static partial void LogPhase(ILogger logger, string cluster, ClusterPhase phase, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "cluster {Cluster} changed while it was reconciled; nothing of that pass was written, running it again")]
    private static partial void LogRaced(ILogger logger, string cluster);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cluster {Cluster}: reconcile failed (attempt {Attempt}); retrying in {Seconds:0.0} s")]
    private static partial void LogFailed(ILogger logger, string cluster, int attempt, double seconds, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "cluster {Cluster}: could not record its failure as a condition")]
    private static partial void LogNotRecorded(ILogger logger, string cluster, Exception error);
}
