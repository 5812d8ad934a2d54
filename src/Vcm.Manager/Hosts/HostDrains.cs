using Microsoft.EntityFrameworkCore;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Domain.Events;
using Vcm.Domain.Hosts;
using Vcm.Domain.Moves;
using Vcm.Domain.Scheduling;
using Vcm.Domain.Text;
using Vcm.Manager.Admission;
using Vcm.Manager.Configuration;
using Vcm.Store.Admission;
using Vcm.Store.Hosts;
using Vcm.Store.Records;

namespace Vcm.Manager.Hosts;

/// <summary>
/// Drains and undrains hosts. A drain marks the host Draining (no new placements: admission reads only ready hosts)
/// and, in the same admission transaction, re-plans the future reservations held on it onto the other ready hosts
/// where they have room for their whole window (<see cref="DrainReplanner"/>); the others stay, with a Warning event
/// on the cluster. The running nodes are moved by <see cref="HostDrainer"/>. Draining a draining host again re-plans
/// what is left (it is idempotent); a down host is refused: its VMs cannot be moved live.
/// </summary>
public sealed class HostDrains(
    AdmissionStore store, DrainStore drains, CalendarCache cache, LocalSite site, ManagerIdentity manager, TimeProvider clock,
    Live.ChangeSignal changes, HostDrainer drainer)
{
    public async Task<DrainOutcome> DrainAsync(string name, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        HostRecord host;
        IReadOnlyList<(string ClusterId, ReplanView View)> reservations;
        try
        {
            await using var transaction = await store.BeginAsync(site.Id, cancellationToken);
            var found = await transaction.HostNamedAsync(name, cancellationToken);
            if (found is null)
            {
                return new DrainOutcome.NotFound(name);
            }

            host = found;
            if (host.State is not (HostState.Ready or HostState.Draining))
            {
                return new DrainOutcome.Refused($"host {name} is {EnumText.Lower(host.State)}: its agent does not answer, so its VMs cannot be moved live");
            }

            if (host.State == HostState.Ready && !await transaction.SetHostStateAsync(host.Id, HostState.Ready, HostState.Draining, cancellationToken))
            {
                return new DrainOutcome.Refused($"host {name} changed state meanwhile; ask again");
            }

            reservations = await ReplanAsync(transaction, host, now, cancellationToken);
            await transaction.SaveAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new DrainOutcome.Refused($"a reservation on host {name} changed while it was re-planned; ask again");
        }
        finally
        {
            cache.Clear();
        }

        foreach (var (clusterId, _) in reservations.Where(r => r.View.Moved))
        {
            changes.Changed(clusterId);
        }

        drainer.Wake();
        return new DrainOutcome.Draining(new DrainView(name, "draining", await ProgressAsync(host.Id, cancellationToken), reservations.Select(r => r.View).ToList()));
    }

    public async Task<DrainOutcome> UndrainAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await using var transaction = await store.BeginAsync(site.Id, cancellationToken);
            var host = await transaction.HostNamedAsync(name, cancellationToken);
            if (host is null)
            {
                return new DrainOutcome.NotFound(name);
            }

            if (host.State is not (HostState.Ready or HostState.Draining))
            {
                return new DrainOutcome.Refused($"host {name} is {EnumText.Lower(host.State)}; it is ready again once its agent reports");
            }

            if (host.State == HostState.Draining && !await transaction.SetHostStateAsync(host.Id, HostState.Draining, HostState.Ready, cancellationToken))
            {
                return new DrainOutcome.Refused($"host {name} changed state meanwhile; ask again");
            }

            await transaction.CommitAsync(cancellationToken);
            host.State = HostState.Ready;
            return new DrainOutcome.Undrained(host);
        }
        finally
        {
            cache.Clear();
        }
    }

    /// <summary>A draining host's progress as the host view shows it.</summary>
    public async Task<HostDrainView> ProgressAsync(string hostId, CancellationToken cancellationToken)
    {
        var holdings = (await drains.HoldingsAsync(site.Id, cancellationToken)).GetValueOrDefault(hostId);
        var migrating = (await drains.MigratingFromAsync(cancellationToken)).GetValueOrDefault(hostId);
        return new HostDrainView(holdings?.Nodes ?? 0, migrating, holdings?.Fixed ?? []);
    }

    /// <summary>Re-plans the future reservations on the host in the drain's transaction; what became of each.</summary>
    private async Task<IReadOnlyList<(string ClusterId, ReplanView View)>> ReplanAsync(AdmissionTransaction transaction, HostRecord host, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var clusters = await transaction.ScheduledHoldingAsync(host.Id, cancellationToken);
        if (clusters.Count == 0)
        {
            return [];
        }

        var (hosts, claims) = await transaction.CalendarAsync(now.ToUnixTimeMilliseconds(), cancellationToken);
        var held = new List<HeldReservation>();
        foreach (var cluster in clusters)
        {
            var spec = cluster.Spec;
            var nodes = (await transaction.NodesOfAsync(cluster.Id, cancellationToken)).Where(n => n.HostId == host.Id).Select(n => n.Name).ToList();
            held.Add(new HeldReservation(
                cluster.Id, cluster.Name, DateTimeOffset.FromUnixTimeMilliseconds(cluster.StartMs), DateTimeOffset.FromUnixTimeMilliseconds(cluster.EndMs),
                Resources.Of(spec.Cpus, spec.Memory, spec.Disk), nodes, cluster.StorageHostId == host.Id ? spec.Shared?.Mebibytes ?? 0 : 0,
                cluster.GatewayHostId == host.Id));
        }

        var names = hosts.ToDictionary(h => h.HostId, h => h.Name, StringComparer.Ordinal);
        var views = new List<(string, ReplanView)>();
        foreach (var plan in DrainReplanner.Replan(host.Id, held, hosts, new ClaimCalendar(claims)))
        {
            var cluster = clusters.Single(c => c.Id == plan.ClusterId);
            if (!plan.Moved)
            {
                var why = $"stays on host {host.Name}, which is draining: {plan.Reason}";
                transaction.Add(EventRecord.Create(cluster.Id, now, EventType.Warning, EventReason.NotReplanned, why, manager.Id));
                views.Add((cluster.Id, new ReplanView(cluster.Name, false, plan.Reason!)));
                continue;
            }

            await transaction.ReplanAsync(cluster.Id, host.Id, plan.NodeHosts, ClaimRows.Of(cluster.Id, plan.Claims), cancellationToken);
            var moved = plan.NodeHosts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} to {names[kv.Value]}").ToList();
            if (plan.StorageHostId is { } storage)
            {
                cluster.StorageHostId = storage;
                moved.Add($"its shared volume to {names[storage]}");
            }

            if (plan.GatewayHostId is { } gateway)
            {
                cluster.GatewayHostId = gateway;
                moved.Add($"its gateway to {names[gateway]}");
            }

            cluster.UpdatedMs = now.ToUnixTimeMilliseconds();
            var detail = string.Join(", ", moved);
            transaction.Add(EventRecord.Create(cluster.Id, now, EventType.Normal, EventReason.Replanned, $"re-planned off host {host.Name} (draining): {detail}", manager.Id));
            views.Add((cluster.Id, new ReplanView(cluster.Name, true, detail)));
        }

        return views;
    }
}
