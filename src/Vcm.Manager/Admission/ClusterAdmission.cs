using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Database = Vcm.Store.Database;
using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Domain.Naming;
using Vcm.Domain.Networking;
using Vcm.Domain.Scheduling;
using Vcm.Manager.Hosting;
using Vcm.Store;
using Vcm.Store.Clusters;
using Vcm.Store.Records;
using Vcm.Store.Sites;

namespace Vcm.Manager.Admission;

/// <summary>
/// Admits a cluster: validates the request (every problem at once), plans placement for its whole window against
/// the claim calendar, and stores the cluster with its nodes and claims in one transaction — or stores nothing.
/// Admissions of one site are serialised (a lock on the site row, and in-process), so two never plan against the
/// same free capacity. A cluster with nodes at other sites is then completed by <see cref="Federation.PartBroker"/>.
/// </summary>
public sealed class ClusterAdmission(
    Database database, ClusterStore clusters, CalendarCache cache, LocalSite site, ManagerIdentity manager, TimeProvider clock,
    ControllerOptions options)
{
    private readonly SemaphoreSlim _serial = new(1, 1);

    /// <summary>What to place here and which nodes go to which peer; null peers for an all-local cluster.</summary>
    public sealed record Split(IReadOnlyList<NodeName> Local, IReadOnlyDictionary<string, IReadOnlyList<NodeName>> Remote);

    /// <summary>Parses and validates a create request; the spec, or every problem.</summary>
    public async Task<(ClusterSpec? Spec, IReadOnlyList<Problem> Problems)> ParseAsync(
        ClusterSpecInput input, IReadOnlyList<Problem> readProblems, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (images, sites) = await CatalogAsync(cancellationToken);
        var used = input.Subnet is null
            ? (await clusters.LiveSubnetsAsync(site.Id, cancellationToken)).Select(Ipv4Subnet.Parse).ToList()
            : [];
        var parsed = ClusterSpecParser.Parse(input, new SpecContext(now, images, sites)
        {
            SubnetPool = Ipv4Subnet.Parse(site.SubnetPool),
            UsedSubnets = used,
        });
        var badFields = readProblems.Select(p => p.Field).ToHashSet(StringComparer.Ordinal);
        var problems = readProblems.Concat(parsed.Problems.Where(p => !badFields.Contains(p.Field))).ToList();
        if (input.Name is { } name && !problems.Any(p => p.Field == "name") && await clusters.NameIsLiveAsync(name, cancellationToken))
        {
            problems.Add(NameTaken(name));
        }

        if (parsed.Spec is { } spec && spec.Sites.Count > 0 && spec.Sites.All(s => s.Count is not null)
            && spec.Sites.FirstOrDefault(s => s.Site == site.Name) is not { Count: > 0 })
        {
            problems.Add(new Problem("sites", $"this site ({site.Name}) runs the cluster's gateway and its first nodes: give it a count of at least 1"));
        }

        return problems.Count > 0 ? (null, problems) : (parsed.Spec, []);
    }

    /// <summary>The fixed split a spec with counts asks for: this site's count first (head first), then each peer's.</summary>
    public Split FixedSplit(ClusterSpec spec)
    {
        var names = spec.NodeNames();
        var local = spec.Sites.First(s => s.Site == site.Name).Count!.Value;
        var remote = new Dictionary<string, IReadOnlyList<NodeName>>(StringComparer.Ordinal);
        var next = local;
        foreach (var share in spec.Sites.Where(s => s.Site != site.Name))
        {
            remote[share.Site] = names.Skip(next).Take(share.Count!.Value).ToList();
            next += share.Count!.Value;
        }

        return new Split(names.Take(local).ToList(), remote);
    }

    public async Task<AdmissionOutcome> AdmitAsync(ClusterSpec spec, string? idempotencyKey, Func<CalendarCache.Snapshot, Split?> split, CancellationToken cancellationToken)
    {
        if (idempotencyKey is not null && await clusters.FindByIdempotencyKeyAsync(idempotencyKey, cancellationToken) is { } earlier)
        {
            return new AdmissionOutcome.Admitted(earlier, Replayed: true);
        }

        await _serial.WaitAsync(cancellationToken);
        try
        {
            return await PlaceAndStoreAsync(spec, idempotencyKey, split, clock.GetUtcNow(), cancellationToken);
        }
        catch (Exception e) when (e is DbUpdateException or DbException)
        {
            // A unique index refused the row: another manager admitted a cluster of that name first.
            if (await clusters.NameIsLiveAsync(spec.Name, CancellationToken.None))
            {
                return new AdmissionOutcome.Invalid([NameTaken(spec.Name)]);
            }

            throw;
        }
        finally
        {
            _serial.Release();
        }
    }

    /// <summary>
    /// The largest head of the node list (at least one node) that fits here for the spec's window, the rest left
    /// to peers; null when not even one node fits. Plans against the snapshot only (nothing is stored).
    /// </summary>
    public static Split? SpillSplit(ClusterSpec spec, CalendarCache.Snapshot snapshot, string peer)
    {
        var names = spec.NodeNames();
        var request = PlacementRequest.For(spec) with { Sites = [] };
        bool Fits(int count) => Scheduler.Admit("probe", request with { Nodes = names.Take(count).ToList() }, snapshot.Hosts, snapshot.Calendar) is
            { Admitted: true, Placement: { } p } && p.Claims.All(c => c.Start == spec.Start);
        if (!Fits(1))
        {
            return null;
        }

        var (low, high) = (1, names.Count - 1);
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (Fits(mid))
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        return new Split(names.Take(low).ToList(), new Dictionary<string, IReadOnlyList<NodeName>> { [peer] = names.Skip(low).ToList() });
    }

    private async Task<AdmissionOutcome> PlaceAndStoreAsync(
        ClusterSpec spec, string? idempotencyKey, Func<CalendarCache.Snapshot, Split?> split, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();

        // Bumping the calendar version locks the site row until commit (SQLite's write transaction excludes others
        // anyway). The cache is good if nothing changed since it was taken, i.e. it is at the version before ours.
        var version = await CalendarVersion.BumpAsync(connection, transaction.DbTransaction, site.Id);
        var snapshot = cache.At(version - 1) ?? await LoadAsync(db, version - 1, now, cancellationToken);

        var id = Ids.New();
        var plan = split(snapshot);
        var request = PlacementRequest.For(spec);
        if (plan is not null)
        {
            request = request with { Nodes = plan.Local, Sites = [] };
        }

        var decision = Scheduler.Admit(id, request, snapshot.Hosts, snapshot.Calendar);
        var remote = plan?.Remote ?? new Dictionary<string, IReadOnlyList<NodeName>>();
        if (decision.Admitted && remote.Count > 0 && decision.Placement!.Claims.Any(c => c.Start != spec.Start))
        {
            // a later start would fit here, but the peers were asked for this window: no
            decision = AdmissionDecision.Refuse($"site {site.Name} has no room for its {plan!.Local.Count} nodes at {spec.Start:u}", null);
        }

        if (!decision.Admitted)
        {
            await transaction.RollbackAsync(cancellationToken);
            cache.Store(snapshot);
            return new AdmissionOutcome.NoCapacity(decision.Reason!, remote.Count > 0 ? null : decision.EarliestStart);
        }

        var placement = decision.Placement!;
        if (remote.Count > 0
            && await db.Hosts.Where(h => h.Id == placement.GatewayHostId).Select(h => new { h.Name, h.WanAddress }).FirstAsync(cancellationToken) is { WanAddress: null } gateway)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new AdmissionOutcome.NoCapacity(
                $"this site's gateway host {gateway.Name} has no WAN address (its agent's --wan-address), so the cluster cannot reach other sites", null);
        }

        var hostSites = snapshot.Hosts.ToDictionary(h => h.HostId, h => h.Site, StringComparer.Ordinal);
        var cluster = NewCluster(
            id, spec.Name, StoredSpec.Serialize(spec), spec.Start, spec.End, spec.NodeCount, spec.Subnet.ToString(), placement, idempotencyKey, now);
        var siteOf = remote.SelectMany(kv => kv.Value.Select(n => (n.Name, Site: kv.Key))).ToDictionary(x => x.Name, x => x.Site, StringComparer.Ordinal);
        var nodes = spec.NodeNames().Select(n => new NodeRecord
        {
            Id = Ids.New(),
            ClusterId = id,
            Name = n.Name,
            Role = n.Role.ToString().ToLowerInvariant(),
            Idx = n.Index,
            HostId = siteOf.ContainsKey(n.Name) ? null : placement.NodeHosts[n.Name],
            Site = siteOf.TryGetValue(n.Name, out var peer) ? peer : hostSites[placement.NodeHosts[n.Name]],
            Mac = HostObjectNames.Mac(id, n.Index),
            Ip = spec.Subnet.NodeAddress(n.Index),
            State = "pending",
            Version = 1,
            Token = NodeSecrets.NewToken(),
            SshPort = NodeSecrets.SshPort(n.Index),
        }).ToList();
        var parts = remote.Count == 0 ? [] : await NewPartsAsync(db, id, spec.Name, remote.Keys, now, cancellationToken);
        if (parts.Count > 0)
        {
            // Not built until every part is admitted; if this manager dies before that, its controller withdraws it.
            cluster.NextReconcileMs = (now + options.PartsDeadline).ToUnixTimeMilliseconds();
        }

        var local = nodes.Where(n => n.HostId is not null).ToList();
        var elsewhere = string.Concat(remote.Select(kv => $", {kv.Value.Count} at site {kv.Key}"));
        var admitted = new EventRecord
        {
            Id = Ids.New(),
            ClusterId = id,
            AtMs = now.ToUnixTimeMilliseconds(),
            Type = "Normal",
            Reason = "Admitted",
            Message = $"{local.Count} nodes on {local.Select(n => n.HostId).Distinct().Count()} hosts{elsewhere} from {spec.Start:u} to {spec.End:u}",
            Source = manager.Id,
        };
        return await CommitAsync(db, transaction, snapshot, version, placement, cluster, nodes, admitted, parts, cancellationToken);
    }

    /// <summary>Stores an admitted cluster (its nodes, claims, event and parts), commits, and keeps the calendar cache current.</summary>
    private async Task<AdmissionOutcome> CommitAsync(
        VcmDbContext db, WriteTransaction transaction, CalendarCache.Snapshot snapshot, long version, Placement placement,
        ClusterRecord cluster, IReadOnlyList<NodeRecord> nodes, EventRecord admitted, IReadOnlyList<ClusterPartRecord> parts,
        CancellationToken cancellationToken)
    {
        var claims = placement.Claims.Select(c => new ClaimRecord
        {
            Id = Ids.New(),
            ClusterId = cluster.Id,
            HostId = c.HostId,
            StartMs = c.Start.ToUnixTimeMilliseconds(),
            EndMs = c.End.ToUnixTimeMilliseconds(),
            Cpus = c.Amount.Cpus,
            MemoryMb = c.Amount.MemoryMb,
            DiskMb = c.Amount.DiskMb,
        }).ToList();
        try
        {
            await ClusterStore.InsertAsync(db, cluster, nodes, claims, admitted, cancellationToken, parts);
            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            cache.Clear();
            throw;
        }

        foreach (var claim in placement.Claims)
        {
            snapshot.Calendar.Add(claim);
        }

        cache.Store(snapshot with { Version = version });
        return new AdmissionOutcome.Admitted(cluster, Replayed: false);
    }

    /// <summary>A part row per peer, each with its VPN's server port here (the lowest free one) and fresh keys.</summary>
    private static async Task<List<ClusterPartRecord>> NewPartsAsync(
        VcmDbContext db, string clusterId, string name, IEnumerable<string> peers, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var live = await db.ClusterParts.Where(p => p.State != "released")
            .Join(db.Clusters.Where(c => c.ActiveName != null), p => p.ClusterId, c => c.Id, (p, _) => p.Vpn)
            .ToListAsync(cancellationToken);
        var used = live.Select(v => Federation.PartVpnKeys.Deserialize(v).Port).ToHashSet();
        var port = Federation.PartVpnKeys.FirstServerPort;
        var parts = new List<ClusterPartRecord>();
        foreach (var peer in peers)
        {
            while (used.Contains(port))
            {
                port++;
            }

            used.Add(port);
            parts.Add(new ClusterPartRecord
            {
                Id = Ids.New(),
                ClusterId = clusterId,
                Site = peer,
                State = "requested",
                Vpn = Federation.PartVpnKeys.Create(name, port, now).Serialize(),
                UpdatedMs = now.ToUnixTimeMilliseconds(),
                Version = 1,
            });
        }

        return parts;
    }

    /// <summary>
    /// Admits a part of another site's cluster: the given nodes (identities assigned there) on this site's hosts for
    /// the window, with a gateway host that has a WAN address for the VPN's client end. Replays when the same part
    /// was admitted before.
    /// </summary>
    public async Task<AdmissionOutcome> AdmitPartAsync(
        string home, Federation.PartRequest request, StoredSpec spec, CancellationToken cancellationToken)
    {
        var key = $"part:{home}:{request.ClusterId}";
        if (await clusters.FindByIdempotencyKeyAsync(key, cancellationToken) is { } earlier)
        {
            return new AdmissionOutcome.Admitted(earlier, Replayed: true);
        }

        await _serial.WaitAsync(cancellationToken);
        try
        {
            return await PlacePartAsync(home, key, request, spec, clock.GetUtcNow(), cancellationToken);
        }
        catch (Exception e) when (e is DbUpdateException or DbException)
        {
            var name = $"{request.Name}@{home}";
            if (await clusters.NameIsLiveAsync(name, CancellationToken.None))
            {
                return new AdmissionOutcome.NoCapacity($"a part named {name} from an earlier cluster is still being released here", null);
            }

            throw;
        }
        finally
        {
            _serial.Release();
        }
    }

    private async Task<AdmissionOutcome> PlacePartAsync(
        string home, string key, Federation.PartRequest request, StoredSpec spec, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var version = await CalendarVersion.BumpAsync(db.Database.GetDbConnection(), transaction.DbTransaction, site.Id);
        var snapshot = cache.At(version - 1) ?? await LoadAsync(db, version - 1, now, cancellationToken);

        var id = Ids.New();
        var names = request.Nodes.Select(n => new NodeName(n.Name, n.Role == "head" ? NodeRole.Head : NodeRole.Worker, n.Index)).ToList();
        var placementRequest = new PlacementRequest(
            names, new Resources(spec.Cpus, spec.MemoryMb, spec.DiskMb), 0, request.Start, request.End,
            spec.Policy == "spread" ? PlacementPolicy.Spread : PlacementPolicy.Pack, []);
        var decision = Scheduler.Admit(id, placementRequest, snapshot.Hosts, snapshot.Calendar);
        if (decision.Admitted && decision.Placement!.Claims.Any(c => c.Start != request.Start))
        {
            decision = AdmissionDecision.Refuse($"site {site.Name} has no room for {names.Count} nodes at {request.Start:u}", null);
        }

        if (!decision.Admitted)
        {
            await transaction.RollbackAsync(cancellationToken);
            cache.Store(snapshot);
            return new AdmissionOutcome.NoCapacity($"site {site.Name}: {decision.Reason}", null);
        }

        var placement = decision.Placement!;
        var gateway = await db.Hosts.Where(h => h.Id == placement.GatewayHostId).Select(h => new { h.Name, h.WanAddress }).FirstAsync(cancellationToken);
        if (gateway.WanAddress is null)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new AdmissionOutcome.NoCapacity($"site {site.Name}'s gateway host {gateway.Name} has no WAN address (its agent's --wan-address)", null);
        }

        var usedPorts = (await db.Clusters.Where(c => c.HomeSite != null && c.ActiveName != null).Select(c => c.PartSpec!).ToListAsync(cancellationToken))
            .Select(s => Federation.PeerPart.Deserialize(s).ClientPort).ToHashSet();
        var port = Federation.PeerPart.FirstClientPort;
        while (usedPorts.Contains(port))
        {
            port++;
        }

        var hostSites = snapshot.Hosts.ToDictionary(h => h.HostId, h => h.Site, StringComparer.Ordinal);
        var partSpec = spec with { SharedMb = null, Sites = [] };
        var cluster = NewCluster(
            id, $"{request.Name}@{home}", partSpec.ToJson(), request.Start, request.End, names.Count, request.Subnet, placement, key, now);
        cluster.HomeSite = home;
        cluster.HomeClusterId = request.ClusterId;
        cluster.PartSpec = new Federation.PeerPart(request.Vpn, port).Serialize();
        cluster.RenewedMs = now.ToUnixTimeMilliseconds();
        var nodes = request.Nodes.Select(n => new NodeRecord
        {
            Id = Ids.New(),
            ClusterId = id,
            Name = n.Name,
            Role = n.Role,
            Idx = n.Index,
            HostId = placement.NodeHosts[n.Name],
            Site = hostSites[placement.NodeHosts[n.Name]],
            Mac = n.Mac,
            Ip = n.Ip,
            State = "pending",
            Version = 1,
            Token = n.Token,
        }).ToList();
        var admitted = new EventRecord
        {
            Id = Ids.New(),
            ClusterId = id,
            AtMs = now.ToUnixTimeMilliseconds(),
            Type = "Normal",
            Reason = "Admitted",
            Message = $"part of site {home}'s cluster {request.Name}: {nodes.Count} nodes on {nodes.Select(n => n.HostId).Distinct().Count()} hosts from {request.Start:u} to {request.End:u}",
            Source = manager.Id,
        };
        return await CommitAsync(db, transaction, snapshot, version, placement, cluster, nodes, admitted, [], cancellationToken);
    }

    /// <summary>Reads the site's ready hosts and every claim that has not ended.</summary>
    private async Task<CalendarCache.Snapshot> LoadAsync(VcmDbContext db, long version, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var siteNames = await db.Sites.ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        var hosts = await db.Hosts.Where(h => h.SiteId == site.Id && h.State == "ready").ToListAsync(cancellationToken);
        var capacities = hosts.Select(h => new HostCapacity(
            h.Id, h.Name, siteNames[h.SiteId], new Resources(h.Cpus, h.MemoryMb, h.DiskMb), (HostRoles)h.Roles)).ToList();
        var claims = await ClusterStore.ClaimsEndingAfterAsync(db, now.ToUnixTimeMilliseconds(), cancellationToken);
        var calendar = new ClaimCalendar(claims.Select(c => new Claim(
            c.ClusterId, c.HostId, DateTimeOffset.FromUnixTimeMilliseconds(c.StartMs), DateTimeOffset.FromUnixTimeMilliseconds(c.EndMs),
            new Resources(c.Cpus, c.MemoryMb, c.DiskMb))));
        return new CalendarCache.Snapshot(version, capacities, calendar);
    }

    private ClusterRecord NewCluster(
        string id, string name, string specJson, DateTimeOffset start, DateTimeOffset end, int nodes, string subnet, Placement placement,
        string? idempotencyKey, DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var startMs = start.ToUnixTimeMilliseconds();
        return new ClusterRecord
        {
            Id = id,
            Name = name,
            ActiveName = name,
            SiteId = site.Id,
            Spec = specJson,
            Phase = nameof(ClusterPhase.Scheduled),
            Reason = startMs > nowMs ? $"starts at {start:u}" : "starting",
            StartMs = startMs,
            EndMs = end.ToUnixTimeMilliseconds(),
            CreatedMs = nowMs,
            UpdatedMs = nowMs,
            Generation = 1,
            ObservedGeneration = 0,
            NodesTotal = nodes,
            NodesReady = 0,
            Subnet = subnet,
            GatewayHostId = placement.GatewayHostId,
            StorageHostId = placement.StorageHostId,
            PhaseSinceMs = nowMs,
            NextReconcileMs = Math.Max(nowMs, startMs),
            IdempotencyKey = idempotencyKey,
            Version = 1,
        };
    }

    private async Task<(IReadOnlySet<string> Images, IReadOnlySet<string> Sites)> CatalogAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var images = await db.Images.Select(i => i.Name).ToListAsync(cancellationToken);
        var sites = await db.Sites.Select(s => s.Name).ToListAsync(cancellationToken);
        return (images.ToHashSet(StringComparer.Ordinal), sites.ToHashSet(StringComparer.Ordinal));
    }

    private static Problem NameTaken(string name) => new("name", $"'{name}' is taken: a cluster of that name exists already");
}
