using System.Text.Json;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Domain.Events;
using Vcm.Domain.Hosts;
using Vcm.Domain.Moves;
using Vcm.Domain.Scheduling;
using Vcm.Manager.Peers;
using Vcm.Store.Records;

namespace Vcm.Manager.Admission;

public sealed partial class ClusterChanges
{
    /// <summary>
    /// At a peer: a node of the home's cluster arrives in this site's part by a live migration, admitted against this
    /// site's calendar as a part is: a ready compute host (the one asked, or the most free) with room for the node
    /// through the rest of the window, future reservations included, the part Ready and no node of that name in it.
    /// The migration (the home's id) and the claim holding the host are stored; the part's reconcile prepares the
    /// receiver and the relay end. Asked again with the same id, it answers what it stored.
    /// </summary>
    public async Task<ChangeOutcome> ArriveAsync(string part, string migrationId, ArrivalRequest request, string home, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        MigrationRecord? admitted = null;
        var outcome = await ChangeAsync(part, "given a node", async (transaction, cluster, nodes, cancel) =>
        {
            if (await transaction.MigrationAsync(migrationId, cancel) is { } known)
            {
                admitted = known;
                return known.ClusterId == cluster.Id && known.FromSite == home
                    ? new ChangeOutcome.MigrationAdmitted(cluster, known)
                    : new ChangeOutcome.Invalid([new Problem("migration", $"migration {migrationId} is not one of this part's arrivals")]);
            }

            var problems = new List<Problem>();
            if (cluster.HomeSite != home)
            {
                problems.Add(new("cluster", $"cluster {cluster.Name} is not a part of site {home}'s cluster"));
            }

            if (cluster.Phase != ClusterPhase.Ready)
            {
                problems.Add(new("cluster", $"the part {cluster.Name} is {cluster.Phase}; only a Ready part takes a node"));
            }

            if (nodes.Any(n => n.Name == request.Node.Name))
            {
                problems.Add(new("node", $"node {request.Node.Name} runs in this part already"));
            }

            if (await transaction.ActiveMigrationAsync(cluster.Id, request.Node.Name, cancel) is { } active)
            {
                problems.Add(new("node", $"node {request.Node.Name} is already arriving (migration {active.Id})"));
            }

            var spec = cluster.Spec;
            var perNode = Resources.Of(spec.Cpus, spec.Memory, spec.Disk);
            var end = DateTimeOffset.FromUnixTimeMilliseconds(cluster.EndMs);
            var (hosts, claims) = await transaction.CalendarAsync(now.ToUnixTimeMilliseconds(), cancel);
            var calendar = new ClaimCalendar(claims);
            HostCapacity? chosen = null;
            if (request.Host is { } asked)
            {
                var host = await transaction.HostNamedAsync(asked, cancel);
                if (host is null)
                {
                    problems.Add(new("to", $"site {site.Name} has no host named '{asked}'"));
                }
                else if (host.State != HostState.Ready)
                {
                    problems.Add(new("to", $"host {host.Name} of site {site.Name} is {Domain.Text.EnumText.Lower(host.State)}: it takes no new nodes"));
                }
                else if (((HostRoles)host.Roles & HostRoles.Compute) == 0)
                {
                    problems.Add(new("to", $"host {host.Name} of site {site.Name} runs no VMs (it has no compute role)"));
                }
                else if (NodeMove.Room(hosts.First(h => h.HostId == host.Id), perNode, now, end, calendar) is { } noRoom)
                {
                    problems.Add(new("to", $"site {site.Name}: {noRoom}"));
                }
                else
                {
                    chosen = hosts.First(h => h.HostId == host.Id);
                }
            }
            else if ((chosen = HostChoice.MostFree(hosts, HostRoles.Compute, perNode, now, end, calendar, f => f.Cpus)) is null)
            {
                problems.Add(new("to", $"no host of site {site.Name} has room for node {request.Node.Name} until {end:u}"));
            }

            if (problems.Count > 0)
            {
                return new ChangeOutcome.Refused(problems);
            }

            var claim = DestinationClaim(cluster, chosen!.HostId, perNode, now);
            admitted = new MigrationRecord
            {
                Id = migrationId,
                ClusterId = cluster.Id,
                Node = request.Node.Name,
                FromSite = home,
                ToHostId = chosen.HostId,
                State = MigrationState.Pending,
                Reason = request.Reason,
                RequestedBy = $"site {home}",
                RequestedMs = now.ToUnixTimeMilliseconds(),
                ClaimId = claim.Id,
                Arrival = JsonSerializer.Serialize(request, ApiJson.Options),
            };
            transaction.Add(admitted, claim);
            transaction.Add(EventRecord.Create(cluster.Id, now, EventType.Normal, EventReason.Migrating,
                $"node {request.Node.Name} to arrive from site {home} on {chosen.Name} ({request.Reason})", manager.Id));
            return null;
        }, cancellationToken, spanningSites: true);

        return outcome is ChangeOutcome.Changed changed && admitted is not null
            ? new ChangeOutcome.MigrationAdmitted(changed.Cluster, admitted)
            : outcome;
    }

    /// <summary>
    /// At a peer: the home says the arriving node switched over. Its arrival is moved; the part's reconcile makes the
    /// receiver an ordinary VM, removes the relay end and records the node in the part. Idempotent; refused for an
    /// arrival that was given up.
    /// </summary>
    public Task<ChangeOutcome> CompleteArrivalAsync(string part, string migrationId, string home, CancellationToken cancellationToken) =>
        ArrivalChangeAsync(part, migrationId, home, "completed", (transaction, cluster, migration, now, cancel) =>
        {
            ChangeOutcome? outcome = null;
            switch (migration.State)
            {
                case MigrationState.Pending:
                    migration.State = MigrationState.Moved;
                    transaction.Add(EventRecord.Create(cluster.Id, now, EventType.Normal, EventReason.Migrated,
                        $"node {migration.Node} arrived from site {home}: it runs here now", manager.Id));
                    break;
                case MigrationState.Moved or MigrationState.Completed:
                    outcome = new ChangeOutcome.MigrationAdmitted(cluster, migration);
                    break;
                default:
                    outcome = new ChangeOutcome.Refused([new Problem("migration", $"node {migration.Node}'s arrival was given up ({migration.Error})")]);
                    break;
            }

            return Task.FromResult(outcome);
        }, cancellationToken);

    /// <summary>
    /// At a peer: the home gives the arrival up (the node stays there). Its claim is freed; the part's reconcile
    /// removes the receiver, its disk and the relay end. Idempotent; refused once the node switched over.
    /// </summary>
    public Task<ChangeOutcome> AbortArrivalAsync(string part, string migrationId, string home, CancellationToken cancellationToken) =>
        ArrivalChangeAsync(part, migrationId, home, "given up", async (transaction, cluster, migration, now, cancel) =>
        {
            switch (migration.State)
            {
                case MigrationState.Pending:
                    migration.State = MigrationState.Aborting;
                    migration.Error ??= $"site {home} gave the migration up";
                    if (migration.ClaimId is { } claim)
                    {
                        await transaction.FreeClaimAsync(claim, cancel);
                    }

                    transaction.Add(EventRecord.Create(cluster.Id, now, EventType.Warning, EventReason.MigrationFailed,
                        $"node {migration.Node} stays at site {home}: {migration.Error}", manager.Id));
                    return null;
                case MigrationState.Aborting or MigrationState.Failed:
                    return new ChangeOutcome.MigrationAdmitted(cluster, migration);
                default:
                    return new ChangeOutcome.Refused([new Problem("migration", $"node {migration.Node} switched over already: it runs here")]);
            }
        }, cancellationToken);

    private async Task<ChangeOutcome> ArrivalChangeAsync(
        string part, string migrationId, string home, string verb,
        Func<Store.Admission.AdmissionTransaction, ClusterRecord, MigrationRecord, DateTimeOffset, CancellationToken, Task<ChangeOutcome?>> change, CancellationToken cancellationToken)
    {
        MigrationRecord? changedMigration = null;
        var outcome = await ChangeAsync(part, verb, async (transaction, cluster, nodes, cancel) =>
        {
            var migration = await transaction.MigrationAsync(migrationId, cancel);
            if (migration is null || migration.ClusterId != cluster.Id || migration.FromSite != home)
            {
                return new ChangeOutcome.NotFound($"{part}'s arrival {migrationId}");
            }

            changedMigration = migration;
            return await change(transaction, cluster, migration, clock.GetUtcNow(), cancel);
        }, cancellationToken, spanningSites: true, anyPhase: true);

        return outcome is ChangeOutcome.Changed changed && changedMigration is not null
            ? new ChangeOutcome.MigrationAdmitted(changed.Cluster, changedMigration)
            : outcome;
    }
}
