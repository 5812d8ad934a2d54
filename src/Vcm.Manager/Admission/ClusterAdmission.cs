using System.Data.Common;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
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
/// same free capacity.
/// </summary>
public sealed class ClusterAdmission(
    Database database, ClusterStore clusters, CalendarCache cache, LocalSite site, ManagerIdentity manager, TimeProvider clock)
{
    private readonly SemaphoreSlim _serial = new(1, 1);

    public async Task<AdmissionOutcome> AdmitAsync(
        ClusterSpecInput input, IReadOnlyList<Problem> readProblems, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (idempotencyKey is not null && await clusters.FindByIdempotencyKeyAsync(idempotencyKey, cancellationToken) is { } earlier)
        {
            return new AdmissionOutcome.Admitted(earlier, Replayed: true);
        }

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

        if (problems.Count > 0)
        {
            return new AdmissionOutcome.Invalid(problems);
        }

        var spec = parsed.Spec!;
        await _serial.WaitAsync(cancellationToken);
        try
        {
            return await PlaceAndStoreAsync(spec, idempotencyKey, now, cancellationToken);
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

    private async Task<AdmissionOutcome> PlaceAndStoreAsync(ClusterSpec spec, string? idempotencyKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();

        // Bumping the calendar version locks the site row until commit (SQLite's write transaction excludes others
        // anyway). The cache is good if nothing changed since it was taken, i.e. it is at the version before ours.
        var version = await CalendarVersion.BumpAsync(connection, transaction.DbTransaction, site.Id);
        var snapshot = cache.At(version - 1) ?? await LoadAsync(db, version - 1, now, cancellationToken);

        var id = Ids.New();
        var decision = Scheduler.Admit(id, PlacementRequest.For(spec), snapshot.Hosts, snapshot.Calendar);
        if (!decision.Admitted)
        {
            await transaction.RollbackAsync(cancellationToken);
            cache.Store(snapshot);
            return new AdmissionOutcome.NoCapacity(decision.Reason!, decision.EarliestStart);
        }

        var placement = decision.Placement!;
        var hostSites = snapshot.Hosts.ToDictionary(h => h.HostId, h => h.Site, StringComparer.Ordinal);
        var cluster = NewCluster(id, spec, placement, idempotencyKey, now);
        var nodes = spec.NodeNames().Select(n => new NodeRecord
        {
            Id = Ids.New(),
            ClusterId = id,
            Name = n.Name,
            Role = n.Role.ToString().ToLowerInvariant(),
            Idx = n.Index,
            HostId = placement.NodeHosts[n.Name],
            Site = hostSites[placement.NodeHosts[n.Name]],
            Mac = HostObjectNames.Mac(id, n.Index),
            Ip = spec.Subnet.NodeAddress(n.Index),
            State = "pending",
            Version = 1,
            Token = NodeSecrets.NewToken(),
            SshPort = NodeSecrets.SshPort(n.Index),
        }).ToList();
        var claimRecords = placement.Claims.Select(c => new ClaimRecord
        {
            Id = Ids.New(),
            ClusterId = id,
            HostId = c.HostId,
            StartMs = c.Start.ToUnixTimeMilliseconds(),
            EndMs = c.End.ToUnixTimeMilliseconds(),
            Cpus = c.Amount.Cpus,
            MemoryMb = c.Amount.MemoryMb,
            DiskMb = c.Amount.DiskMb,
        }).ToList();
        var admitted = new EventRecord
        {
            Id = Ids.New(),
            ClusterId = id,
            AtMs = now.ToUnixTimeMilliseconds(),
            Type = "Normal",
            Reason = "Admitted",
            Message = $"{nodes.Count} nodes on {nodes.Select(n => n.HostId).Distinct().Count()} hosts from {spec.Start:u} to {spec.End:u}",
            Source = manager.Id,
        };
        try
        {
            await ClusterStore.InsertAsync(db, cluster, nodes, claimRecords, admitted, cancellationToken);
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

    private ClusterRecord NewCluster(string id, ClusterSpec spec, Placement placement, string? idempotencyKey, DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var startMs = spec.Start.ToUnixTimeMilliseconds();
        return new ClusterRecord
        {
            Id = id,
            Name = spec.Name,
            ActiveName = spec.Name,
            SiteId = site.Id,
            Spec = StoredSpec.Serialize(spec),
            Phase = nameof(ClusterPhase.Scheduled),
            Reason = startMs > nowMs ? $"starts at {spec.Start:u}" : "starting",
            StartMs = startMs,
            EndMs = spec.End.ToUnixTimeMilliseconds(),
            CreatedMs = nowMs,
            UpdatedMs = nowMs,
            Generation = 1,
            ObservedGeneration = 0,
            NodesTotal = spec.NodeCount,
            NodesReady = 0,
            Subnet = spec.Subnet.ToString(),
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
