using Vcm.Domain.Scheduling;

namespace Vcm.Domain.Moves;

/// <summary>
/// Packs running nodes onto fewer hosts: the least-loaded host first, each host is emptied only when every node on it
/// finds room on another host — the fullest first — for the rest of its window at every instant, against the whole
/// calendar (future reservations included) and the moves planned before it. A host that holds anything that does not
/// move live (a node that cannot move now, a future reservation, another cluster's volume) is kept, as is a host that
/// took nodes of another. So no move breaks a reservation's guarantees and no host is over-committed at any instant.
/// </summary>
public static class Consolidator
{
    /// <param name="hosts">The ready compute hosts: the only donors and destinations.</param>
    /// <param name="calendar">Every claim (not changed: the plan works on a copy).</param>
    /// <param name="nodes">The nodes running on those hosts.</param>
    /// <param name="now">The moves happen from now on.</param>
    /// <param name="pinned">Hosts that hold something that does not move live and holds no claim (a gateway), with what.</param>
    public static ConsolidationPlan Plan(
        IReadOnlyList<HostCapacity> hosts, ClaimCalendar calendar, IReadOnlyList<RunningNode> nodes, DateTimeOffset now,
        IReadOnlyDictionary<string, string>? pinned = null)
    {
        var compute = hosts.Where(h => h.Has(HostRoles.Compute)).ToList();
        var byHost = nodes.GroupBy(n => n.HostId).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var scratch = new ClaimCalendar(calendar.All);
        var load = compute.ToDictionary(h => h.HostId, h => calendar.PeakUsage(h.HostId, now, now.AddTicks(1)), StringComparer.Ordinal);
        var holding = compute.Where(h => byHost.ContainsKey(h.HostId) || calendar.ClaimsOn(h.HostId).Any(c => c.End > now) || pinned?.ContainsKey(h.HostId) == true).ToList();

        var moves = new List<PlannedMove>();
        var emptied = new HashSet<string>(StringComparer.Ordinal);
        var receivers = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<HostNote>();
        foreach (var donor in holding.OrderBy(h => Weight(load[h.HostId])).ThenBy(h => h.Name, StringComparer.Ordinal))
        {
            var own = byHost.GetValueOrDefault(donor.HostId) ?? [];
            if (receivers.Contains(donor.HostId))
            {
                kept.Add(new(donor.HostId, "it takes nodes of an emptied host"));
                continue;
            }

            if ((pinned?.GetValueOrDefault(donor.HostId) ?? Pinned(donor, own, calendar, now)) is { } why)
            {
                kept.Add(new(donor.HostId, why));
                continue;
            }

            var targets = holding
                .Where(h => h.HostId != donor.HostId && !emptied.Contains(h.HostId))
                .OrderByDescending(h => Weight(load[h.HostId])).ThenBy(h => h.Name, StringComparer.Ordinal).ToList();
            var trial = new ClaimCalendar(scratch.All);
            var planned = new List<PlannedMove>();
            string? misfit = null;
            foreach (var node in own.OrderByDescending(n => Weight(n.Size)).ThenBy(n => n.Cluster, StringComparer.Ordinal).ThenBy(n => n.Node, StringComparer.Ordinal))
            {
                var to = targets.FirstOrDefault(t => NodeMove.Room(t, node.Size, now, node.End, trial) is null);
                if (to is null)
                {
                    misfit = $"node {node.Node} of {node.Cluster} fits on no other host through its window";
                    break;
                }

                trial.Add(new Claim(node.ClusterId, to.HostId, now, node.End, node.Size));
                planned.Add(new PlannedMove(node.ClusterId, node.Cluster, node.Node, donor.HostId, to.HostId));
            }

            if (misfit is not null)
            {
                kept.Add(new(donor.HostId, misfit));
                continue;
            }

            scratch = trial;
            moves.AddRange(planned);
            emptied.Add(donor.HostId);
            receivers.UnionWith(planned.Select(m => m.ToHostId));
        }

        return new ConsolidationPlan(moves, holding.Where(h => emptied.Contains(h.HostId)).Select(h => h.HostId).ToList(), kept);
    }

    /// <summary>Why the donor cannot be emptied by moving its running nodes; null when it can.</summary>
    private static string? Pinned(HostCapacity donor, IReadOnlyList<RunningNode> own, ClaimCalendar calendar, DateTimeOffset now)
    {
        if (own.FirstOrDefault(n => n.Stuck is not null) is { } stuck)
        {
            return $"node {stuck.Node} of {stuck.Cluster} cannot move now: {stuck.Stuck}";
        }

        var clusters = own.Select(n => n.ClusterId).ToHashSet(StringComparer.Ordinal);
        if (calendar.ClaimsOn(donor.HostId).FirstOrDefault(c => c.End > now && (c.Start > now || !clusters.Contains(c.ClusterId))) is { } held)
        {
            return held.Start > now
                ? $"it holds a future reservation from {held.Start:u}"
                : "it holds capacity that no running node of it accounts for (a shared volume)";
        }

        // the nodes' own claims must account for what is held now (else something else, like a volume, is there too)
        var nodesHold = own.Aggregate(Resources.Zero, (sum, n) => sum + n.Size);
        var claimed = calendar.ClaimsOn(donor.HostId).Where(c => c.End > now).Aggregate(Resources.Zero, (sum, c) => sum + c.Amount);
        return claimed.FitsIn(nodesHold) ? null : "it holds capacity that no running node of it accounts for (a shared volume)";
    }

    /// <summary>One number to order by load: cpus first, then memory.</summary>
    private static long Weight(Resources r) => (r.Cpus * 1_000_000) + r.MemoryMb;
}
