namespace Vcm.Domain.Scheduling;

/// <summary>
/// Plans placement of a whole cluster for its whole window against the claim calendar. A plan never lets any
/// host's use exceed its capacity at any instant: the free capacity of a host for a window is its capacity less
/// the peak use of each dimension during that window.
/// </summary>
public static class Scheduler
{
    /// <summary>How many later start times <see cref="Admit"/> tries before giving up the search.</summary>
    public const int MaxStartCandidates = 5000;

    /// <summary>
    /// Plans the request at its own start, or finds the earliest start at which it would fit. With
    /// <paramref name="latestStart"/> (a flexible start) the request is admitted at the earliest start from its own
    /// to <paramref name="latestStart"/> at which the whole window fits (<see cref="Placement.Start"/>), and refused
    /// with the earliest start after that when none does. The earliest fitting start is always the request's own
    /// or the end of a claim: moving a fitting start back to the last claim end before it only drops claims from
    /// the window, so every later candidate is among the calendar's claim ends.
    /// </summary>
    public static AdmissionDecision Admit(
        string clusterId, PlacementRequest request, IReadOnlyList<HostCapacity> hosts, ClaimCalendar calendar,
        DateTimeOffset? latestStart = null)
    {
        var plan = Plan(clusterId, request, hosts, calendar);
        if (plan.Placement is not null)
        {
            return AdmissionDecision.Admit(plan.Placement);
        }

        var onEmpty = Plan(clusterId, request, hosts, ClaimCalendar.Empty);
        if (onEmpty.Placement is null)
        {
            return AdmissionDecision.Refuse(onEmpty.Reason + "; it would not fit even on idle hosts", null);
        }

        var tried = 0;
        foreach (var start in calendar.EndsAfter(request.Start))
        {
            if (++tried > MaxStartCandidates)
            {
                break;
            }

            if (Plan(clusterId, request.At(start), hosts, calendar).Placement is { } later)
            {
                return start <= latestStart
                    ? AdmissionDecision.Admit(later)
                    : AdmissionDecision.Refuse(plan.Reason! + NoneBetween(request.Start, latestStart), start);
            }
        }

        return AdmissionDecision.Refuse(plan.Reason! + NoneBetween(request.Start, latestStart), null);
    }

    private static string NoneBetween(DateTimeOffset start, DateTimeOffset? latestStart) =>
        latestStart is { } latest ? $"; it fits at no start from {start:u} to {latest:u}" : "";

    /// <summary>
    /// Plans the request for exactly its window. Each host's free capacity is read once (into an array, in the order of
    /// <paramref name="hosts"/>) and the nodes are counted before anything is sorted or chosen, so a window that does not
    /// fit — most of those a flexible start's search tries — costs one pass over the hosts.
    /// </summary>
    public static PlanResult Plan(
        string clusterId, PlacementRequest request, IReadOnlyList<HostCapacity> hosts, ClaimCalendar calendar)
    {
        var candidates = request.Sites.Count == 0 ? hosts : hosts.Where(h => request.Sites.Contains(h.Site)).ToList();
        var free = new Resources[candidates.Count];
        var anyGateway = false;
        for (var i = 0; i < candidates.Count; i++)
        {
            free[i] = candidates[i].Capacity - calendar.PeakUsage(candidates[i].HostId, request.Start, request.End);
            anyGateway |= candidates[i].Has(HostRoles.Gateway);
        }

        if (!anyGateway)
        {
            return PlanResult.Fail("no host with the gateway role is available" + SitesText(request));
        }

        // the gateway holds nothing of its own: the most free cpus (by name on a tie), as free before the shared volume
        var gateway = Best(candidates, free, HostRoles.Gateway, f => f.Cpus, _ => true);
        var held = new Dictionary<string, Resources>(StringComparer.Ordinal);
        string? storageHost = null;
        if (request.SharedMb > 0)
        {
            var storage = Best(candidates, free, HostRoles.Storage, f => f.DiskMb, f => f.DiskMb >= request.SharedMb);
            if (storage < 0)
            {
                var best = Enumerable.Range(0, candidates.Count).Where(i => candidates[i].Has(HostRoles.Storage)).Select(i => free[i].DiskMb).DefaultIfEmpty(0).Max();
                return PlanResult.Fail($"no storage host has {request.SharedMb}M free for the shared volume (the most free is {Math.Max(0, best)}M)" + SitesText(request));
            }

            storageHost = candidates[storage].HostId;
            var volume = new Resources(0, 0, request.SharedMb);
            free[storage] -= volume;
            held[storageHost] = volume;
        }

        var compute = new List<(HostCapacity Host, long Fits)>();
        long total = 0;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates[i].Has(HostRoles.Compute) && free[i].CountOf(request.PerNode) is > 0 and var fits)
            {
                compute.Add((candidates[i], fits));
                total += Math.Min(fits, request.Nodes.Count);
            }
        }

        if (total < request.Nodes.Count)
        {
            return PlanResult.Fail(
                $"from {request.Start:u} to {request.End:u} only {total} of the {request.Nodes.Count} nodes " +
                $"({request.PerNode} each) fit" + SitesText(request));
        }

        var assignment = request.Policy == Clusters.PlacementPolicy.Spread
            ? Spread(request, compute)
            : Pack(request, compute);

        var nodeHosts = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < request.Nodes.Count; i++)
        {
            var hostId = assignment[i];
            nodeHosts[request.Nodes[i].Name] = hostId;
            held[hostId] = held.GetValueOrDefault(hostId) + request.PerNode;
        }

        var claims = held
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new Claim(clusterId, kv.Key, request.Start, request.End, kv.Value))
            .ToList();
        return PlanResult.Ok(new Placement(nodeHosts, candidates[gateway].HostId, storageHost, claims, request.Start));
    }

    /// <summary>The index of the host with the role, allowed by <paramref name="allowed"/>, with the most of <paramref name="by"/> (by name on a tie); -1 if none.</summary>
    private static int Best(IReadOnlyList<HostCapacity> hosts, Resources[] free, HostRoles role, Func<Resources, long> by, Func<Resources, bool> allowed)
    {
        var best = -1;
        for (var i = 0; i < hosts.Count; i++)
        {
            if (hosts[i].Has(role) && allowed(free[i])
                && (best < 0 || by(free[i]) > by(free[best]) || (by(free[i]) == by(free[best]) && string.CompareOrdinal(hosts[i].Name, hosts[best].Name) < 0)))
            {
                best = i;
            }
        }

        return best;
    }

    // Fill the fullest hosts first, so that idle hosts stay idle for large requests.
    private static List<string> Pack(PlacementRequest request, List<(HostCapacity Host, long Fits)> compute)
    {
        var result = new List<string>(request.Nodes.Count);
        foreach (var (host, fits) in compute.OrderBy(x => x.Fits).ThenBy(x => x.Host.Name, StringComparer.Ordinal))
        {
            for (var i = 0; i < fits && result.Count < request.Nodes.Count; i++)
            {
                result.Add(host.HostId);
            }

            if (result.Count == request.Nodes.Count)
            {
                break;
            }
        }

        return result;
    }

    // One node per host per round, emptiest hosts first.
    private static List<string> Spread(PlacementRequest request, List<(HostCapacity Host, long Fits)> compute)
    {
        var hosts = compute.OrderByDescending(x => x.Fits).ThenBy(x => x.Host.Name, StringComparer.Ordinal)
            .Select(x => (x.Host.HostId, Left: x.Fits)).ToArray();
        var result = new List<string>(request.Nodes.Count);
        while (result.Count < request.Nodes.Count)
        {
            for (var i = 0; i < hosts.Length && result.Count < request.Nodes.Count; i++)
            {
                if (hosts[i].Left > 0)
                {
                    hosts[i].Left--;
                    result.Add(hosts[i].HostId);
                }
            }
        }

        return result;
    }

    private static string SitesText(PlacementRequest request) =>
        request.Sites.Count == 0 ? "" : $" in site{(request.Sites.Count > 1 ? "s" : "")} {string.Join(", ", request.Sites)}";
}
