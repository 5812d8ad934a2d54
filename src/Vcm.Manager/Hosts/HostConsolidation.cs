using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Domain.Moves;
using Vcm.Domain.Scheduling;
using Vcm.Domain.Text;
using Vcm.Manager.Configuration;
using Vcm.Store.Admission;
using Vcm.Store.Hosts;

namespace Vcm.Manager.Hosts;

/// <summary>
/// Consolidation: plans (<see cref="Consolidator"/>) which hosts can be emptied by moving their running nodes onto the
/// others for the rest of their windows; unless it is a dry run, drains those hosts with the planned destinations as
/// hints for <see cref="HostDrainer"/>, which moves the nodes at its pace. The emptied hosts stay draining (no new work
/// lands on them: they can be powered off) until undrained.
/// </summary>
public sealed class HostConsolidation(
    AdmissionStore admission, DrainStore drains, HostStore hosts, HostDrains drain, ConsolidationHints hints, LocalSite site, TimeProvider clock)
{
    public async Task<ConsolidationView> ConsolidateAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (ready, claims) = await admission.ReadCalendarAsync(site.Id, now.ToUnixTimeMilliseconds(), cancellationToken);
        var placed = await drains.NodesAsync(site.Id, ready.Select(h => h.HostId).ToList(), cancellationToken);
        var running = placed.Where(n => n.Phase != ClusterPhase.Scheduled).Select(n => new RunningNode(
            n.ClusterId, n.Cluster, n.Node, n.HostId, n.Size, DateTimeOffset.FromUnixTimeMilliseconds(n.EndMs), Stuck(n))).ToList();
        var pinned = (await drains.HoldingsAsync(site.Id, cancellationToken))
            .Where(h => h.Value.Fixed.Count > 0)
            .ToDictionary(h => h.Key, h => string.Join("; ", h.Value.Fixed), StringComparer.Ordinal);
        var plan = Consolidator.Plan(ready, new ClaimCalendar(claims), running, now, pinned);

        var names = (await hosts.ListAsync(site.Id, cancellationToken)).ToDictionary(h => h.Id, h => h.Name, StringComparer.Ordinal);
        if (!dryRun)
        {
            foreach (var move in plan.Moves)
            {
                hints.Plan(move.ClusterId, move.Node, move.ToHostId);
            }

            foreach (var host in plan.Emptied)
            {
                await drain.DrainAsync(names[host], cancellationToken);
            }
        }

        return new ConsolidationView(
            dryRun,
            plan.Emptied.Select(h => names[h]).ToList(),
            plan.Moves.Select(m => new PlannedMoveView(m.Cluster, m.Node, names[m.FromHostId], names[m.ToHostId])).ToList(),
            plan.Kept.Select(k => new HostNoteView(names[k.HostId], k.Reason)).ToList());
    }

    /// <summary>Why the node cannot be moved live now; null when it can.</summary>
    private static string? Stuck(PlacedNode n) =>
        n.Deleting ? $"cluster {n.Cluster} is being deleted"
        : n.Phase != ClusterPhase.Ready ? $"cluster {n.Cluster} is {n.Phase}"
        : n.SpansSites ? $"cluster {n.Cluster} spans sites"
        : n.Migrating ? "it is being moved already"
        : n.State != NodeState.Ready ? $"it is {EnumText.Lower(n.State)}"
        : null;
}
