using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Domain.Events;
using Vcm.Domain.Hosts;
using Vcm.Domain.Moves;
using Vcm.Domain.Scheduling;
using Vcm.Store.Admission;
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
        var (toSite, toHost) = Destination(request.To.Trim());
        MigrationRecord? admitted = null;
        var outcome = await ChangeAsync(name, "migrated", async (transaction, cluster, nodes, cancel) =>
        {
            var moving = nodes.FirstOrDefault(n => n.Name == node);
            if (moving is null)
            {
                return new ChangeOutcome.NodeNotFound(name, node);
            }

            var host = toHost is null ? null : await transaction.HostNamedAsync(toHost, cancel);
            if (toSite is null && host is null && (await transaction.PartsOfAsync(cluster.Id, cancel)).Any(p => p.Site == toHost))
            {
                (toSite, toHost) = (toHost, null); // no host of this site has the name, a site the cluster spans has
            }

            if (toSite is not null)
            {
                return await AcrossAsync(transaction, cluster, moving, toSite, toHost, requestedBy, reason, perHostLimit, now, m => admitted = m, cancel);
            }

            if (host is null)
            {
                return new ChangeOutcome.Invalid([new Problem("to", $"site {site.Name} has no host named '{toHost}', and cluster {name} spans no site of that name")]);
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

            if (moving.HostId is null)
            {
                problems.Add(new("node", $"node {node} runs at site {moving.Site}; a node moves between the hosts of the site it runs at"));
            }

            if (await transaction.ActiveMigrationAsync(cluster.Id, node, cancel) is { } active)
            {
                problems.Add(new("node", $"node {node} is already being moved (migration {active.Id}, {Domain.Text.EnumText.Lower(active.State)})"));
            }

            var spec = cluster.Spec;
            var perNode = Resources.Of(spec.Cpus, spec.Memory, spec.Disk);
            if (moving.HostId is null)
            {
                // said above
            }
            else if (host.Id == moving.HostId)
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
                foreach (var hostId in new[] { moving.HostId, host.Id }.OfType<string>().Where(h => busy.GetValueOrDefault(h) >= perHostLimit))
                {
                    var what = hostId == host.Id ? host.Name : (await transaction.HostAsync(hostId, cancel))?.Name ?? hostId;
                    problems.Add(new("to", $"host {what} is in {busy[hostId]} migrations already (at most {perHostLimit} at once)"));
                }
            }

            if (problems.Count > 0)
            {
                return new ChangeOutcome.Refused(problems);
            }

            var claim = DestinationClaim(cluster, host.Id, perNode, now);
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
        }, cancellationToken, spanningSites: true);

        return outcome is ChangeOutcome.Changed changed && admitted is not null
            ? new ChangeOutcome.MigrationAdmitted(changed.Cluster, admitted)
            : outcome;
    }

    /// <summary>The claim holding a moving node's share on its destination, from now to the end of the cluster's window.</summary>
    private static ClaimRecord DestinationClaim(ClusterRecord cluster, string hostId, Resources perNode, DateTimeOffset now) => new()
    {
        Id = Ids.New(),
        ClusterId = cluster.Id,
        HostId = hostId,
        StartMs = now.ToUnixTimeMilliseconds(),
        EndMs = cluster.EndMs,
        Cpus = perNode.Cpus,
        MemoryMb = perNode.MemoryMb,
        DiskMb = perNode.DiskMb,
    };

    /// <summary>"HOST", "SITE" or "SITE/HOST" as (site, host); a site alone has no host (its manager picks one).</summary>
    private static (string? Site, string? Host) Destination(string to)
    {
        var slash = to.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (null, to) : (to[..slash], to[(slash + 1)..] is { Length: > 0 } host ? host : null);
    }

    /// <summary>
    /// A node's live migration to a site the cluster spans (its VPN reaches there), admitted here as any change is;
    /// the peer admits the node against its own calendar when the cluster's reconcile asks it, and a refusal there
    /// ends the migration with the peer's reason (the node never stopped). Only a worker that runs at this site, the
    /// cluster's home, moves: the head stays with the gateway and the shared volume.
    /// </summary>
    private async Task<ChangeOutcome?> AcrossAsync(
        AdmissionTransaction transaction, ClusterRecord cluster, NodeRecord moving, string toSite, string? toHost, string requestedBy, string reason,
        int perHostLimit, DateTimeOffset now, Action<MigrationRecord> admitted, CancellationToken cancellationToken)
    {
        if (toSite == site.Name)
        {
            return new ChangeOutcome.Invalid([new Problem("to", toHost is null
                ? $"site {site.Name} is this site: name a host of it to move node {moving.Name} to"
                : $"name host {toHost} of this site without the site")]);
        }

        var problems = new List<Problem>();
        if (cluster.HomeSite is not null)
        {
            problems.Add(new("cluster", $"cluster {cluster.Name} is part of site {cluster.HomeSite}'s cluster; its home moves its nodes between sites"));
        }

        if (cluster.Phase != ClusterPhase.Ready)
        {
            problems.Add(new("cluster", $"cluster {cluster.Name} is {cluster.Phase}; only a Ready cluster's nodes are moved"));
        }

        if (moving.State != NodeState.Ready)
        {
            problems.Add(new("node", $"node {moving.Name} is {Domain.Text.EnumText.Lower(moving.State)}, not ready"));
        }

        if (moving.HostId is null)
        {
            problems.Add(new("node", $"node {moving.Name} runs at site {moving.Site} already; only nodes that run at the home site {site.Name} move to another site"));
        }

        if (moving.Role == NodeRole.Head)
        {
            problems.Add(new("node", $"node {moving.Name} is the head: it stays at the home site with the cluster's gateway and shared volume"));
        }

        var part = (await transaction.PartsOfAsync(cluster.Id, cancellationToken)).FirstOrDefault(p => p.Site == toSite);
        if (part is null)
        {
            problems.Add(new("to", $"cluster {cluster.Name} spans no site '{toSite}': a node moves only to a site the cluster's VPN reaches"));
        }
        else if (part.State != Domain.Federation.PartState.Admitted)
        {
            // whether it is Ready there is the peer's to say when it is asked (what this site last heard may lag)
            problems.Add(new("to", $"the cluster's part at site {toSite} is {Domain.Text.EnumText.Lower(part.State)}"));
        }

        if (await transaction.ActiveMigrationAsync(cluster.Id, moving.Name, cancellationToken) is { } active)
        {
            problems.Add(new("node", $"node {moving.Name} is already being moved (migration {active.Id}, {Domain.Text.EnumText.Lower(active.State)})"));
        }

        if (moving.HostId is { } source && perHostLimit < int.MaxValue
            && (await transaction.ActiveMigrationsPerHostAsync(cancellationToken)).GetValueOrDefault(source) is var busy && busy >= perHostLimit)
        {
            problems.Add(new("to", $"host {(await transaction.HostAsync(source, cancellationToken))?.Name ?? source} is in {busy} migrations already (at most {perHostLimit} at once)"));
        }

        if (problems.Count > 0)
        {
            return new ChangeOutcome.Refused(problems);
        }

        var migration = new MigrationRecord
        {
            Id = Ids.New(),
            ClusterId = cluster.Id,
            Node = moving.Name,
            FromHostId = moving.HostId,
            ToSite = toSite,
            RemoteHost = toHost,
            State = MigrationState.Pending,
            Reason = reason,
            RequestedBy = requestedBy,
            RequestedMs = now.ToUnixTimeMilliseconds(),
        };
        transaction.Add(migration);
        var from = await transaction.HostAsync(moving.HostId!, cancellationToken);
        transaction.Add(EventRecord.Create(cluster.Id, now, EventType.Normal, EventReason.Migrating,
            $"node {moving.Name} to move from {from?.Name ?? moving.HostId} to site {toSite}{(toHost is null ? "" : $" (host {toHost})")} over the cluster's VPN ({reason})", manager.Id));
        admitted(migration);
        return null;
    }
}
