using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Vcm.Domain.Clusters;
using Vcm.Manager.Agents;
using Vcm.Manager.Hosting;
using Vcm.Store;
using Vcm.Store.Clusters;
using Vcm.Store.Hosts;
using Vcm.Store.Records;
using Vcm.Drivers.Network;

namespace Vcm.Manager.Controllers;

/// <summary>
/// The level-based controller of one cluster. Each call reads the cluster as the database has it, takes the next
/// step of its phase, records what it saw, and says when to look again:
/// <list type="bullet">
/// <item>lease timer: Scheduled → Provisioning at the start; any live phase → Releasing at the end or on delete;</item>
/// <item>provisioning: ensure every host object (idempotent, deterministic names) → Ready, or Failed;</item>
/// <item>watching: a Ready cluster's VMs are checked; one not running makes it Degraded, and repair makes it Ready;</item>
/// <item>releasing: delete every host object, free the claims → Released.</item>
/// </list>
/// </summary>
public sealed partial class ClusterReconciler(
    Database database,
    ClusterStore clusters,
    HostStore hosts,
    IAgentClient agents,
    TimeProvider clock,
    ControllerOptions options,
    ManagerIdentity manager,
    LocalSite site,
    Store.Federation.PartStore parts,
    Store.Federation.PeerStore peers,
    Federation.FederationClient federation,
    Federation.PartBroker broker,
    ILogger<ClusterReconciler> logger)
{
    public async Task<ReconcileResult> ReconcileAsync(string clusterId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var cluster = await db.Clusters.AsTracking().FirstOrDefaultAsync(c => c.Id == clusterId, cancellationToken);
        if (cluster is null)
        {
            return ReconcileResult.Done;
        }

        var scope = new ClusterScope(db, cluster, clock.GetUtcNow(), manager.Id);
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
            return await BeginReleaseAsync(scope, cancellationToken);
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

    private async Task<ReconcileResult> StartWhenDueAsync(ClusterScope scope, CancellationToken cancellationToken)
    {
        var cluster = scope.Cluster;
        if (scope.NowMs < cluster.StartMs)
        {
            return ReconcileResult.After(TimeSpan.FromMilliseconds(cluster.StartMs - scope.NowMs));
        }

        if (cluster.ActiveVni is null)
        {
            var used = await clusters.UsedVnisAsync(site.Id, cancellationToken);
            var vni = Enumerable.Range(site.VniFirst, site.VniLast - site.VniFirst + 1).Cast<int?>().FirstOrDefault(v => !used.Contains(v!.Value));
            if (vni is null)
            {
                scope.Event("Warning", "NoVni", $"all VNIs {site.VniFirst}-{site.VniLast} of site {site.Name} are in use; waiting for one");
                await scope.SaveAsync(cancellationToken);
                return ReconcileResult.After(TimeSpan.FromSeconds(30));
            }

            cluster.ActiveVni = vni;
            cluster.Vni = vni;
        }

        if (site.External is { } external && cluster.ActiveExternalIp is null && cluster.HomeSite is null)
        {
            var address = ExternalAddresses.Pick(external.Subnet, await clusters.UsedExternalIpsAsync(site.Id, cancellationToken));
            if (address is null)
            {
                scope.Event("Warning", "NoExternalAddress", $"every address of the external network {external.Subnet} is in use; waiting for one");
                await scope.SaveAsync(cancellationToken);
                return ReconcileResult.After(TimeSpan.FromSeconds(30));
            }

            cluster.ActiveExternalIp = address;
            cluster.ExternalIp = address;
        }

        if (cluster.AdminPublicKey is null && cluster.HomeSite is null)
        {
            var key = Ssh.AdminKey.Create($"vcm-admin@{cluster.Name}");
            cluster.AdminPublicKey = key.PublicLine;
            cluster.AdminPrivateKey = key.PrivatePem;
        }

        scope.MoveTo(ClusterPhase.Provisioning, $"start time reached; segment VNI {cluster.Vni}" + (cluster.ExternalIp is { } ip ? $", gateway {ip}" : ""));
        try
        {
            await scope.SaveAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // another cluster took the same VNI at the same moment: read again and pick another
        }

        return ReconcileResult.Now;
    }

    private async Task<ReconcileResult> BeginReleaseAsync(ClusterScope scope, CancellationToken cancellationToken)
    {
        var reason = scope.Cluster.DeletionRequestedMs is not null ? "deleted"
            : scope.NowMs >= scope.Cluster.EndMs ? $"its window ended at {scope.End:u}"
            : $"its home site {scope.Cluster.HomeSite} has not renewed it for {options.PartLease.TotalSeconds:0} s";
        scope.MoveTo(ClusterPhase.Releasing, reason);
        await scope.SaveAsync(cancellationToken);
        return ReconcileResult.Now;
    }

    /// <summary>The cluster's nodes, the host records they need, and how to reach each host's agent.</summary>
    private async Task<(IReadOnlyList<NodeRecord> Nodes, HostPlan Plan, IReadOnlyDictionary<string, AgentRoute> Routes)> LoadPlanAsync(
        ClusterScope scope, CancellationToken cancellationToken)
    {
        var cluster = scope.Cluster;
        var nodes = await clusters.GetNodesAsync(cluster.Id, cancellationToken);
        var hostIds = nodes.Where(n => n.HostId is not null).Select(n => n.HostId!).Append(cluster.GatewayHostId!);
        if (cluster.StorageHostId is { } storage)
        {
            hostIds = hostIds.Append(storage);
        }

        var hostRecords = await hosts.GetAsync(hostIds.Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
        var agentRecords = await hosts.GetAgentsAsync(hostRecords.Values.Select(h => h.AgentId).Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
        var routes = hostRecords.Values
            .Where(h => agentRecords.ContainsKey(h.AgentId))
            .ToDictionary(h => h.Name, h => new AgentRoute(h.AgentId, agentRecords[h.AgentId].Url, agentRecords[h.AgentId].Key), StringComparer.Ordinal);
        var external = site.External is { } e && cluster.ExternalIp is { } address ? new ExternalAttachment(e.Bridge, address, e.Router) : null;
        var vpns = await VpnsAsync(cluster, scope.Spec, hostRecords, Vcm.Domain.Naming.HostObjectNames.Bridge(cluster.ActiveVni!.Value), cancellationToken);
        var plan = new HostPlan(cluster, scope.Spec, nodes, hostRecords, cluster.ActiveVni!.Value, external, vpns);
        return (nodes, plan, routes);
    }

    private TimeSpan RetryDelay(int attempts) => Backoff.For(attempts, options.RetryBase, options.RetryMax);

    /// <summary>Records a failed attempt; writes an event on attempts 1, 2, 4, 8 … so a long outage does not flood the log.</summary>
    private static void RecordFailure(ClusterScope scope, string reason, string message)
    {
        var attempts = ++scope.Cluster.Attempts;
        if ((attempts & (attempts - 1)) == 0)
        {
            scope.Event("Warning", reason, attempts == 1 ? message : $"{message} (attempt {attempts})");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "cluster {Cluster}: {Phase} ({Reason})")]
    private static partial void LogPhase(ILogger logger, string cluster, string phase, string reason);
}
