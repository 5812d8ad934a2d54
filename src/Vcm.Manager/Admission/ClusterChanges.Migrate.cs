using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Domain.Events;
using Vcm.Domain.Hosts;
using Vcm.Domain.Moves;
using Vcm.Domain.Scheduling;
using Vcm.Store.Records;

namespace Vcm.Manager.Admission;

public sealed partial class ClusterChanges
{
    /// <summary>
    /// Admits a node's live migration to another host of this site, against the calendar as any change is: in the
    /// admission's transaction, the destination must be a ready compute host other than the node's own with room for
    /// the node through the rest of the cluster's window (future reservations included), the cluster Ready and the
    /// node ready and not already moving. Then the migration and a claim holding the destination's capacity are
    /// stored; the cluster's reconcile moves the node. Every reason it cannot is given at once; nothing changed.
    /// </summary>
    public Task<ChangeOutcome> MigrateAsync(string name, string node, MigrateRequest request, string requestedBy, CancellationToken cancellationToken) =>
        MigrateAsync(name, node, request, requestedBy, $"asked by {requestedBy}", int.MaxValue, cancellationToken);

    /// <summary>
    /// As <see cref="MigrateAsync(string, string, MigrateRequest, string, CancellationToken)"/>, for the manager's own
    /// moves (a drain, a consolidation): with the reason recorded, and refused while the node's host or the destination is
    /// already the source or destination of <paramref name="perHostLimit"/> active migrations.
    /// </summary>
    public async Task<ChangeOutcome> MigrateAsync(
        string name, string node, MigrateRequest request, string requestedBy, string reason, int perHostLimit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.To))
        {
            return new ChangeOutcome.Invalid([new Problem("to", "the host to move the node to is required")]);
        }

        var now = clock.GetUtcNow();
        MigrationRecord? admitted = null;
        var outcome = await ChangeAsync(name, "migrated", async (transaction, cluster, nodes, cancel) =>
        {
            var moving = nodes.FirstOrDefault(n => n.Name == node);
            if (moving is null)
            {
                return new ChangeOutcome.NodeNotFound(name, node);
            }

            var host = await transaction.HostNamedAsync(request.To, cancel);
            if (host is null)
            {
                return new ChangeOutcome.Invalid([new Problem("to", $"site {site.Name} has no host named '{request.To}'")]);
            }

            var problems = new List<Problem>();
            if (cluster.Phase != ClusterPhase.Ready)
            {
                problems.Add(new("cluster", $"cluster {name} is {cluster.Phase}; only a Ready cluster's nodes are moved"));
            }

            if (moving.State != NodeState.Ready)
            {
                problems.Add(new("node", $"node {node} is {Domain.Text.EnumText.Lower(moving.State)}, not ready"));
            }

            if (await transaction.ActiveMigrationAsync(cluster.Id, node, cancel) is { } active)
            {
                problems.Add(new("node", $"node {node} is already being moved (migration {active.Id}, {Domain.Text.EnumText.Lower(active.State)})"));
            }

            var spec = cluster.Spec;
            var perNode = Resources.Of(spec.Cpus, spec.Memory, spec.Disk);
            if (host.Id == moving.HostId)
            {
                problems.Add(new("to", $"node {node} runs on {host.Name} already"));
            }
            else if (host.State != HostState.Ready)
            {
                problems.Add(new("to", $"host {host.Name} is {Domain.Text.EnumText.Lower(host.State)}: it takes no new nodes"));
            }
            else if (((HostRoles)host.Roles & HostRoles.Compute) == 0)
            {
                problems.Add(new("to", $"host {host.Name} runs no VMs (it has no compute role)"));
            }
            else
            {
                var (hosts, claims) = await transaction.CalendarAsync(now.ToUnixTimeMilliseconds(), cancel);
                var capacity = hosts.First(h => h.HostId == host.Id);
                if (NodeMove.Room(capacity, perNode, now, DateTimeOffset.FromUnixTimeMilliseconds(cluster.EndMs), new ClaimCalendar(claims)) is { } noRoom)
                {
                    problems.Add(new("to", noRoom));
                }
            }

            if (perHostLimit < int.MaxValue)
            {
                var busy = await transaction.ActiveMigrationsPerHostAsync(cancel);
                foreach (var hostId in new[] { moving.HostId!, host.Id }.Where(h => busy.GetValueOrDefault(h) >= perHostLimit))
                {
                    var what = hostId == host.Id ? host.Name : (await transaction.HostAsync(hostId, cancel))?.Name ?? hostId;
                    problems.Add(new("to", $"host {what} is in {busy[hostId]} migrations already (at most {perHostLimit} at once)"));
                }
            }

            if (problems.Count > 0)
            {
                return new ChangeOutcome.Refused(problems);
            }

            var claim = new ClaimRecord
            {
                Id = Ids.New(),
                ClusterId = cluster.Id,
                HostId = host.Id,
                StartMs = now.ToUnixTimeMilliseconds(),
                EndMs = cluster.EndMs,
                Cpus = perNode.Cpus,
                MemoryMb = perNode.MemoryMb,
                DiskMb = perNode.DiskMb,
            };
            admitted = new MigrationRecord
            {
                Id = Ids.New(),
                ClusterId = cluster.Id,
                Node = node,
                FromHostId = moving.HostId!,
                ToHostId = host.Id,
                State = MigrationState.Pending,
                Reason = reason,
                RequestedBy = requestedBy,
                RequestedMs = now.ToUnixTimeMilliseconds(),
                ClaimId = claim.Id,
            };
            transaction.Add(admitted, claim);
            var from = await transaction.HostAsync(moving.HostId!, cancel);
            transaction.Add(EventRecord.Create(cluster.Id, now, EventType.Normal, EventReason.Migrating,
                $"node {node} to move from {from?.Name ?? moving.HostId} to {host.Name} ({admitted.Reason})", manager.Id));
            return null;
        }, cancellationToken);

        return outcome is ChangeOutcome.Changed changed && admitted is not null
            ? new ChangeOutcome.MigrationAdmitted(changed.Cluster, admitted)
            : outcome;
    }
}
