using System.Text.Json;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Domain.Events;
using Vcm.Domain.Moves;
using Vcm.Domain.Scheduling;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Rpc;
using Vcm.Manager.Peers;
using Vcm.Store.Records;

namespace Vcm.Manager.Controllers;

/// <summary>
/// Live migration across sites (issue 13, item 2). The home drives it; the peer that runs the cluster's part there
/// admits the node against its calendar and builds the receiving half, each site's reconcile doing its own hosts:
/// <list type="number">
/// <item>home, pending: asks the peer for the arrival (<c>PUT …/arrivals/{id}</c>, asked again until the peer's
/// reconcile has made the receiver — listening on unix sockets — and the receiving relay end on the cluster's
/// segment there);</item>
/// <item>home: the sending relay end on the source's host, then the migration into it; at the switch-over the node is
/// recorded at the other site (its host there, the source's claims cut) — moved;</item>
/// <item>home, moved: tells the peer (<c>POST …/complete</c>, again until the peer says completed), whose reconcile
/// adopts the receiver, removes its relay end and records the node in its part; then removes the old copy and its
/// own relay end — completed;</item>
/// <item>given up anywhere before the switch-over: the peer is told (<c>DELETE</c>) and frees the host, and each side
/// removes what it made; the node runs on at the home.</item>
/// </list>
/// Both sites name the relay ends and their addresses after the migration's id, which the peer keeps as its own.
/// </summary>
public sealed partial class ClusterReconciler
{
    /// <summary>How often the home asks a peer whether the receiver is ready.</summary>
    private static readonly TimeSpan ArrivalPoll = TimeSpan.FromMilliseconds(500);

    /// <summary>How long the home waits for a peer to answer or to make the receiver before it gives the migration up.</summary>
    private static readonly TimeSpan ArrivalPatience = TimeSpan.FromMinutes(3);

    private async Task<ReconcileResult> MoveAcrossAsync(
        ClusterScope scope, MigrationRecord migration, HostPlan plan, IReadOnlyDictionary<string, Agents.AgentRoute> routes, CancellationToken cancellationToken)
    {
        migration.StartedMs ??= scope.NowMs;
        var nodes = await scope.Session.NodesAsync(cancellationToken);
        var node = nodes.First(n => n.Name == migration.Node);
        ArrivalStatus status;
        try
        {
            var peer = await peers.FindAsync(migration.ToSite!, cancellationToken)
                ?? throw new PeerCallException(migration.ToSite!, PeerFailure.Refused, $"site {migration.ToSite} is no longer a peer");
            status = await federation.PutArrivalAsync(peer, scope.Cluster.Id, migration.Id,
                new ArrivalRequest(new PartNode(node.Name, node.Role, node.Idx, node.Mac, node.Ip, node.Token ?? ""), node.BootedMs, migration.RemoteHost, migration.Reason),
                cancellationToken);
        }
        catch (PeerCallException e) when (e.Failure is PeerFailure.Unreachable && scope.NowMs - migration.StartedMs < ArrivalPatience.TotalMilliseconds)
        {
            return ReconcileResult.After(RetryDelay(scope.Fail(EventReason.StepFailed, $"moving node {migration.Node}: {e.Message}")));
        }
        catch (PeerCallException e)
        {
            await GiveUpAsync(scope, migration, plan, e.Message, cancellationToken);
            return ReconcileResult.Now;
        }

        migration.RemoteHost = status.Host.Length > 0 ? status.Host : migration.RemoteHost;
        if (status.State is MigrationState.Aborting or MigrationState.Failed)
        {
            await GiveUpAsync(scope, migration, plan, $"site {migration.ToSite} gave it up: {status.Error}", cancellationToken);
            return ReconcileResult.Now;
        }

        if (status.State == MigrationState.Pending && !status.Prepared)
        {
            if (scope.NowMs - migration.StartedMs > ArrivalPatience.TotalMilliseconds)
            {
                await GiveUpAsync(scope, migration, plan, $"site {migration.ToSite} did not make its receiver within {ArrivalPatience.TotalMinutes:0} min", cancellationToken);
                return ReconcileResult.Now;
            }

            return ReconcileResult.After(ArrivalPoll);
        }

        var (_, failures) = await InfrastructureAsync(plan, routes, cancellationToken);
        if (failures.Count > 0)
        {
            return ReconcileResult.After(RetryDelay(scope.Fail(EventReason.StepFailed, $"moving node {migration.Node}: {StepFailure.Describe(failures)}")));
        }

        var relay = await agents.ApplyAsync([plan.SendRelay(migration)], routes, cancellationToken);
        var sendTo = relay.SelectMany(h => h.Results).FirstOrDefault(r => r.Kind == StepKind.EnsureMigrationRelay)?.Incoming;
        if (StepFailure.In(relay) is var notRelayed && (notRelayed.Count > 0 || sendTo is null))
        {
            await GiveUpAsync(scope, migration, plan, $"the relay on {plan.Place(migration, from: true)} could not be made: {(notRelayed.Count > 0 ? StepFailure.Describe(notRelayed) : "its agent named no socket")}", cancellationToken);
            return ReconcileResult.Now;
        }

        return await SendAsync(scope, migration, plan, plan.Migrate(migration, sendTo with { Image = status.Image }), routes, cancellationToken);
    }

    /// <summary>After the switch-over: the peer takes the node over (told until it says it has), then the old copy and the relay end here go.</summary>
    private async Task<ReconcileResult> FinishMoveAcrossAsync(
        ClusterScope scope, MigrationRecord migration, NodeRecord node, HostPlan plan, IReadOnlyDictionary<string, Agents.AgentRoute> routes, CancellationToken cancellationToken)
    {
        try
        {
            var peer = await peers.FindAsync(migration.ToSite!, cancellationToken)
                ?? throw new PeerCallException(migration.ToSite!, PeerFailure.Refused, $"site {migration.ToSite} is no longer a peer");
            if ((await federation.CompleteArrivalAsync(peer, scope.Cluster.Id, migration.Id, cancellationToken)).State != MigrationState.Completed)
            {
                return ReconcileResult.After(ArrivalPoll); // the peer is taking the node over: asked again until it has
            }
        }
        catch (PeerCallException e)
        {
            return ReconcileResult.After(RetryDelay(scope.Fail(EventReason.StepFailed, $"telling site {migration.ToSite} that node {migration.Node} arrived: {e.Message}")));
        }

        var failures = StepFailure.In(await agents.ApplyAsync(plan.FinishMove(migration, node, null), routes, cancellationToken));
        if (failures.Count > 0)
        {
            return ReconcileResult.After(RetryDelay(scope.Fail(EventReason.StepFailed, $"removing node {migration.Node}'s old copy: {StepFailure.Describe(failures)}")));
        }

        migration.State = MigrationState.Completed;
        migration.EndedMs = scope.NowMs;
        return ReconcileResult.Now;
    }

    /// <summary>A given-up migration to another site: the peer drops its receiver (asked until it says so), and the relay end here goes.</summary>
    private async Task<ReconcileResult> AbortMoveAcrossAsync(
        ClusterScope scope, MigrationRecord migration, HostPlan plan, IReadOnlyDictionary<string, Agents.AgentRoute> routes, CancellationToken cancellationToken)
    {
        try
        {
            var peer = await peers.FindAsync(migration.ToSite!, cancellationToken);
            if (peer is not null && !await federation.DeleteArrivalAsync(peer, scope.Cluster.Id, migration.Id, cancellationToken))
            {
                return ReconcileResult.After(ArrivalPoll); // the peer is removing what it made
            }
        }
        catch (PeerCallException e)
        {
            return ReconcileResult.After(RetryDelay(scope.Fail(EventReason.StepFailed, $"telling site {migration.ToSite} that node {migration.Node} stays: {e.Message}")));
        }

        return await AbortMoveAsync(scope, migration, plan, routes, cancellationToken);
    }

    /// <summary>
    /// At a peer: drives the part's arrivals — prepares a new one's receiver and relay end; once the home says it
    /// switched over, adopts the node; once given up, removes what was made. Null when none has work now.
    /// </summary>
    private async Task<ReconcileResult?> ArriveAsync(ClusterScope scope, IReadOnlyList<MigrationRecord> active, CancellationToken cancellationToken)
    {
        var migration = active.FirstOrDefault(m => m.FromSite is not null && (m.State != MigrationState.Pending || m.PreparedMs is null));
        if (migration is null)
        {
            return null;
        }

        var (_, plan, routes) = await LoadPlanAsync(scope, cancellationToken);
        var arrival = JsonSerializer.Deserialize<ArrivalRequest>(migration.Arrival!, ApiJson.Options)!;
        var node = ArrivingNode(scope, migration, arrival);
        switch (migration.State)
        {
            case MigrationState.Pending:
                var (_, failures) = await InfrastructureAsync(plan, routes, cancellationToken);
                if (failures.Count > 0)
                {
                    await GiveUpAsync(scope, migration, plan, $"the segment could not be made ready for it: {StepFailure.Describe(failures)}", cancellationToken);
                    return ReconcileResult.Now;
                }

                var prepared = await agents.ApplyAsync([plan.PrepareIncoming(migration, node, null)], routes, cancellationToken);
                var incoming = prepared.SelectMany(h => h.Results).FirstOrDefault(r => r.Kind == StepKind.PrepareIncomingVm)?.Incoming;
                if (StepFailure.In(prepared) is var notPrepared && (notPrepared.Count > 0 || incoming is null))
                {
                    await GiveUpAsync(scope, migration, plan, $"{plan.Place(migration, from: false)} could not receive it: {(notPrepared.Count > 0 ? StepFailure.Describe(notPrepared) : "its agent named no receiver")}", cancellationToken);
                    return ReconcileResult.Now;
                }

                var relayed = StepFailure.In(await agents.ApplyAsync([plan.ReceiveRelay(migration, incoming)], routes, cancellationToken));
                if (relayed.Count > 0)
                {
                    await GiveUpAsync(scope, migration, plan, $"the relay on {plan.Place(migration, from: false)} could not be made: {StepFailure.Describe(relayed)}", cancellationToken);
                    return ReconcileResult.Now;
                }

                migration.StartedMs ??= scope.NowMs;
                migration.PreparedMs = scope.NowMs;
                migration.ReceiverImage = incoming.Image;
                return ReconcileResult.Now;
            case MigrationState.Moved:
                var finished = StepFailure.In(await agents.ApplyAsync(plan.FinishMove(migration, node, null), routes, cancellationToken));
                if (finished.Count > 0)
                {
                    return ReconcileResult.After(RetryDelay(scope.Fail(EventReason.StepFailed, $"taking node {migration.Node} over: {StepFailure.Describe(finished)}")));
                }

                await scope.Session.AddNodeAsync(node, cancellationToken);
                migration.State = MigrationState.Completed;
                migration.EndedMs = scope.NowMs;
                return ReconcileResult.Now;
            default:
                return await AbortMoveAsync(scope, migration, plan, routes, cancellationToken);
        }
    }

    /// <summary>The arriving node as the part will record it: the home's name, role, MAC, address and token, on the host this site chose, ready, booted when the home says.</summary>
    private NodeRecord ArrivingNode(ClusterScope scope, MigrationRecord migration, ArrivalRequest arrival) => new()
    {
        Id = Ids.New(),
        ClusterId = scope.Cluster.Id,
        Name = arrival.Node.Name,
        Role = arrival.Node.Role,
        Idx = arrival.Node.Index,
        HostId = migration.ToHostId,
        Site = site.Name,
        Mac = arrival.Node.Mac,
        Ip = arrival.Node.Ip,
        Token = arrival.Node.Token,
        State = NodeState.Ready,
        BootedMs = arrival.BootedMs ?? scope.NowMs,
    };
}
