using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Domain.Tenancy;
using Vcm.Store.Tenancy;
using Vcm.Domain.Networking;
using Vcm.Domain.Scheduling;
using Vcm.Drivers.Images;
using Vcm.Manager.Configuration;
using Vcm.Manager.Images;
using Vcm.Manager.Metrics;
using Vcm.Manager.Peers;
using Vcm.Store.Admission;
using Vcm.Store.Clusters;
using Vcm.Store.Packages;
using Vcm.Store.Records;
using Vcm.Store.Series;
using Vcm.Store.Sites;

namespace Vcm.Manager.Admission;

/// <summary>
/// Admits a cluster of this site, or a part of another site's cluster, by one path: in one transaction that locks the
/// site's calendar, split the nodes (<see cref="AdmissionRequest.Split"/>), place this site's share for the whole
/// window (<see cref="SitePlacement"/>), and store the rows (<see cref="AdmittedRows"/>) — or store nothing.
/// Admissions of one site are serialised (a lock on the site row, and in-process), so two never plan against the
/// same free capacity. A cluster with nodes at other sites is then completed by <see cref="PartBroker"/>.
/// </summary>
public sealed partial class ClusterAdmission(
    AdmissionStore store, ClusterStore clusters, SiteStore sites, CalendarCache cache, LocalSite site, ManagerIdentity manager,
    TimeProvider clock, ControllerOptions options, IImageLayers layers, ReadyEstimator estimator, CacheImages cacheImages, SeriesStore series,
    ManagerMetrics metrics, Live.ChangeSignal changes)
{
    private readonly SemaphoreSlim _serial = new(1, 1);

    /// <summary>
    /// Parses and validates a create request; the spec (with its package set resolved, when it has one), or every
    /// problem; with a flexible start, the latest start it allows. Whether the name is free is the caller's to ask (a
    /// taken name is a conflict, not a bad request).
    /// </summary>
    public async Task<(ClusterSpec? Spec, LayerPlan? Plan, IReadOnlyList<Problem> Problems, DateTimeOffset? LatestStart)> ParseAsync(
        ClusterSpecInput input, IReadOnlyList<Problem> readProblems, CancellationToken cancellationToken)
    {
        var parsed = ClusterSpecParser.Parse(input, await ContextAsync(input, cancellationToken));
        var problems = Merge(readProblems, parsed.Problems);

        if (parsed.Spec is { } spec && spec.Sites.Count > 0 && spec.Sites.All(s => s.Count is not null)
            && spec.Sites.FirstOrDefault(s => s.Site == site.Name) is not { Count: > 0 })
        {
            problems.Add(new Problem("sites", $"this site ({site.Name}) runs the cluster's gateway and its first nodes: give it a count of at least 1"));
        }

        if (parsed.LatestStart is not null && parsed.Spec is { } flexible && flexible.Sites.FirstOrDefault(s => s.Site != site.Name) is { } peer)
        {
            problems.Add(new Problem("sites", $"names site {peer.Site}, but a flexible start (latestStart) is for clusters of this site ({site.Name}) only"));
        }

        LayerPlan? plan = null;
        if (problems.Count == 0 && parsed.Spec is { } withPackages && withPackages.LayerPackages().Count > 0)
        {
            (plan, var packageProblems) = await ResolvePackagesAsync(withPackages, cancellationToken);
            problems.AddRange(packageProblems);
        }

        if (parsed.Spec is { } sized && !problems.Any(p => p.Field is "disk" or "image"))
        {
            problems.AddRange(await DiskProblemsAsync(sized, cancellationToken));
        }

        return problems.Count > 0 ? (null, null, problems, null) : (parsed.Spec, plan, [], parsed.LatestStart);
    }

    /// <summary>What the spec parser needs of this site: its images and peers, the subnets in use, its limits.</summary>
    private async Task<SpecContext> ContextAsync(ClusterSpecInput input, CancellationToken cancellationToken)
    {
        var (images, siteNames) = await sites.CatalogAsync(cancellationToken);
        var used = input.Subnet is null
            ? (await clusters.LiveSubnetsAsync(site.Id, cancellationToken)).Select(Ipv4Subnet.Parse).ToList()
            : [];
        return new SpecContext(clock.GetUtcNow(), images, siteNames)
        {
            SubnetPool = Ipv4Subnet.Parse(site.SubnetPool),
            UsedSubnets = used,
            Limits = SiteStore.LimitsOf(await sites.GetLocalAsync(cancellationToken)),
        };
    }

    /// <summary>The problems of reading the body, then the parser's on fields the body read well.</summary>
    private static List<Problem> Merge(IReadOnlyList<Problem> readProblems, IReadOnlyList<Problem> parsed)
    {
        var badFields = readProblems.Select(p => p.Field).ToHashSet(StringComparer.Ordinal);
        return readProblems.Concat(parsed.Where(p => !badFields.Contains(p.Field))).ToList();
    }

    /// <summary>The image's own minimum disk, when the spec asks for less.</summary>
    private async Task<IReadOnlyList<Problem>> DiskProblemsAsync(ClusterSpec spec, CancellationToken cancellationToken) =>
        (await layers.ListAsync(cancellationToken)).FirstOrDefault(i => i.Name == spec.Image) is { MinDiskMb: > 0 } stored && stored.MinDiskMb > spec.Disk.Mebibytes
            ? [new Problem("disk", $"is {spec.Disk}; image {spec.Image} needs a disk of at least {stored.MinDiskMb} MiB")]
            : [];

    /// <summary>A package set is checked against the archive's index when it is asked for: every unknown package is named.</summary>
    private async Task<(LayerPlan? Plan, IReadOnlyList<Problem> Problems)> ResolvePackagesAsync(ClusterSpec spec, CancellationToken cancellationToken)
    {
        var resolution = await layers.ResolveAsync(spec.Image, spec.LayerPackages(), cancellationToken);
        var field = spec.Packages.Count > 0 ? "packages" : "role";
        if (resolution.Unknown.Count > 0)
        {
            return (null, [new Problem(field, $"the Debian archive has no package {string.Join(", ", resolution.Unknown.Select(p => $"'{p}'"))}")]);
        }

        return resolution.Error is { } error
            ? (null, [new Problem(field, spec.Packages.Count > 0 ? error : $"role {spec.Role.Text()} needs packages on the nodes: {error}")])
            : (resolution.Plan, []);
    }

    /// <summary>Admits the request, or refuses it with the reason; timed, by outcome, in the manager's metrics.</summary>
    public async Task<AdmissionOutcome> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "error";
        try
        {
            var admitted = await AdmitOnceAsync(request, cancellationToken);
            outcome = admitted.Label;
            return admitted;
        }
        finally
        {
            metrics.Admissions.WithLabels(outcome).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    private async Task<AdmissionOutcome> AdmitOnceAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request.IdempotencyKey is { } key && await clusters.FindByIdempotencyKeyAsync(key, cancellationToken) is { } earlier)
        {
            return AdmissionOutcome.Replay(earlier, key, request.IdempotencyHash);
        }

        var costs = request.Plan is { } plan ? await estimator.InputsAsync(plan.Image, cancellationToken) : null;
        await _serial.WaitAsync(cancellationToken);
        try
        {
            var outcome = await PlaceAndStoreAsync(request, costs, cancellationToken);
            if (outcome is AdmissionOutcome.Admitted && request.Origin is null && request.Spec.LayerPackages().Count > 0)
            {
                cacheImages.Trigger();
            }

            return outcome;
        }
        catch (Exception e) when (e is DbUpdateException or DbException)
        {
            // A unique index refused the row: another request with the same Idempotency-Key, or another manager
            // admitted a cluster of that name first.
            if (request.IdempotencyKey is { } raced && await clusters.FindByIdempotencyKeyAsync(raced, CancellationToken.None) is { } first)
            {
                return AdmissionOutcome.Replay(first, raced, request.IdempotencyHash);
            }

            if (await clusters.NameIsLiveAsync(request.Spec.Name, CancellationToken.None))
            {
                return request.Origin is null
                    ? new AdmissionOutcome.NameTaken(request.Spec.Name)
                    : new AdmissionOutcome.NoCapacity($"a part named {request.Spec.Name} from an earlier cluster is still being released here", null);
            }

            throw;
        }
        finally
        {
            _serial.Release();
        }
    }

    private async Task<AdmissionOutcome> PlaceAndStoreAsync(AdmissionRequest request, CostInputs? costs, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await store.BeginAsync(site.Id, cancellationToken);
        var snapshot = cache.At(transaction.Version - 1) ?? await LoadAsync(transaction, now, cancellationToken);

        var id = Ids.New();
        var split = request.Split(snapshot);
        var spansSites = split.Remote.Count > 0 || request.Origin is not null;
        var decision = SitePlacement.Place(id, request.Spec, split.Local, exactStart: spansSites, snapshot, site.Name, request.LatestStart);
        if (decision.Placement is { } chosen && chosen.Start != request.Spec.Start)
        {
            request = request with { Spec = request.Spec.StartingAt(chosen.Start) }; // the flexible start's choice
        }

        if (request.Owner?.TenantId is { } tenantId)
        {
            var monthStart = QuotaCheck.MonthStart(request.Spec.Start);
            var (tenant, held) = await transaction.TenantAsync(tenantId, monthStart.ToUnixTimeMilliseconds(), cancellationToken);
            var excesses = tenant is null
                ? []
                : QuotaCheck.Check(TenantQuotas.Read(tenant), TenantReservations.Of(held), TenantReservations.Of(request.Spec));
            if (excesses.Count > 0)
            {
                cache.Store(snapshot);
                return new AdmissionOutcome.OverQuota(tenant!.Name, excesses);
            }
        }

        if (!decision.Admitted)
        {
            cache.Store(snapshot);
            return new AdmissionOutcome.NoCapacity(
                request.Origin is null ? decision.Reason! : $"site {site.Name}: {decision.Reason}", spansSites ? null : decision.EarliestStart);
        }

        var placement = decision.Placement!;
        var ports = Array.Empty<int>() as IReadOnlyList<int>;
        if (spansSites)
        {
            if (await transaction.HostAsync(placement.GatewayHostId, cancellationToken) is { WanAddress: null } gateway)
            {
                return new AdmissionOutcome.NoCapacity(request.Origin is null
                    ? $"this site's gateway host {gateway.Name} has no WAN address (its agent's --wan-address), so the cluster cannot reach other sites"
                    : $"site {site.Name}'s gateway host {gateway.Name} has no WAN address (its agent's --wan-address)", null);
            }

            ports = request.Origin is null
                ? await transaction.FreeServerPortsAsync(PartVpnKeys.FirstServerPort, split.Remote.Count, cancellationToken)
                : [await transaction.FreeClientPortAsync(PartVpnKeys.FirstClientPort, cancellationToken)];
        }

        if (request.DryRun)
        {
            cache.Store(snapshot); // nothing written: the transaction rolls back, the calendar is as it was
            return new AdmissionOutcome.Fits(request.Spec.Start, request.Spec.End);
        }

        var rows = AdmittedRows.Build(id, site.Id, request, split, placement, snapshot.Hosts, ports, manager.Id, now);
        if (rows.Parts.Count > 0)
        {
            // Not built until every part is admitted; if this manager dies before that, its controller withdraws it.
            rows.Cluster.NextReconcileMs = (now + options.PartsDeadline).ToUnixTimeMilliseconds();
        }

        try
        {
            await InsertAsync(transaction, rows, request, placement, costs, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            changes.Changed(rows.Cluster.Id);
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

        cache.Store(snapshot with { Version = transaction.Version });
        return new AdmissionOutcome.Admitted(rows.Cluster, Replayed: false);
    }

    /// <summary>Stores an admitted cluster's rows with its estimate, and (for a create here) its package set (not yet committed).</summary>
    private async Task InsertAsync(
        AdmissionTransaction transaction, AdmittedRows rows, AdmissionRequest request, Placement placement, CostInputs? costs, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (request.Plan is { } plan && costs is not null)
        {
            rows.Cluster.Estimate = estimator.Estimate(costs, plan, placement.NodeHosts.Values.Distinct().ToList(), request.Spec.Install);
        }

        await transaction.InsertAsync(rows.Cluster, rows.Nodes, rows.Claims, [rows.Admitted], rows.Parts, cancellationToken);
        if (request.Origin is null)
        {
            await transaction.AddRequestAsync(new PackageRequestRecord
            {
                ClusterId = rows.Cluster.Id,
                Image = request.Spec.Image,
                Packages = PackageText.Join(request.Spec.LayerPackages()),
                AtMs = now.ToUnixTimeMilliseconds(),
            }, cancellationToken);
        }
    }

    /// <summary>Reads the site's ready hosts and every claim that has not ended.</summary>
    private static async Task<CalendarCache.Snapshot> LoadAsync(AdmissionTransaction transaction, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (hosts, claims) = await transaction.CalendarAsync(now.ToUnixTimeMilliseconds(), cancellationToken);
        return new CalendarCache.Snapshot(transaction.Version - 1, hosts, new ClaimCalendar(claims));
    }

    public static Problem NameTaken(string name) => new("name", $"'{name}' is taken: a cluster of that name exists already");
}
