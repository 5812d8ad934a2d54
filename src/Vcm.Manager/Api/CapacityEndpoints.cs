using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Domain.Scheduling;
using Vcm.Domain.Sizes;
using Vcm.Domain.Tenancy;
using Vcm.Manager.Admission;
using Vcm.Manager.Auth;
using Vcm.Manager.Configuration;
using Vcm.Manager.Peers;
using Vcm.Store.Federation;
using Vcm.Store.Records;
using Vcm.Store.Tenancy;
using Vcm.Manager.Http;
using Vcm.Store.Admission;
using Vcm.Store.Sites;

namespace Vcm.Manager.Api;

/// <summary>
/// /api/v1/capacity: the site's free capacity over time — what stays free through each step, and how many nodes of a
/// shape fit — for anyone who may see clusters (a tenant sees capacity, never hosts). Read outside any admission.
/// </summary>
public static class CapacityEndpoints
{
    public static readonly TimeSpan DefaultSpan = TimeSpan.FromDays(1);

    public static readonly TimeSpan DefaultStep = TimeSpan.FromHours(1);

    public static readonly TimeSpan FitSpan = TimeSpan.FromDays(7);

    public static readonly TimeSpan MaxFitSpan = TimeSpan.FromDays(366);

    /// <summary>How long the view waits for each peer's capacity.</summary>
    public static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(5);

    public static void MapCapacity(this RouteGroupBuilder api)
    {
        api.MapGet("/capacity", GetAsync).WithName("getCapacity").WithTags("sites").Produces<CapacityTimelineView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("The site's free capacity over time: from (default now), to (default a day later), step (default 1h); with cpus (and memory, disk) also how many such nodes fit in each step; a tenant's user also sees its quota headroom in each step; with peers=true, each peer's capacity too.");
        api.MapGet("/capacity/fit", FitAsync).WithName("getCapacityFit").WithTags("sites").Produces<FitWindowsView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Where a request (workers, head, cpus, memory, disk, duration — as a cluster create takes them) fits at this site, for starts from from (default now) to to (default 7 days later): runs of starts, each start in them fits its whole window; for a tenant's user, within its quota too.");
    }

    private static async Task<IResult> FitAsync(
        string? from, string? to, long? workers, bool? head, long? cpus, string? memory, string? disk, string? duration, Caller caller,
        AdmissionStore store, SiteStore sites, TenancyStore tenancy, LocalSite site, TimeProvider clock, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        var now = clock.GetUtcNow();
        var start = CapacityQuery.Time("from", from, now, problems);
        var end = to is null ? start + FitSpan : CapacityQuery.Time("to", to, now, problems);
        if (problems.Count == 0 && (end <= start || end - start > MaxFitSpan))
        {
            problems.Add(new Problem("to", $"must be after from, by at most {MaxFitSpan.TotalDays:0} days"));
        }

        // the request is read as a cluster create reads it: the same fields, limits and sentences
        var (images, siteNames) = await sites.CatalogAsync(cancellationToken);
        var parsed = ClusterSpecParser.Parse(
            new ClusterSpecInput
            {
                Name = "fit", Workers = workers ?? 1, Head = head, Cpus = cpus, Memory = memory, Disk = disk, Duration = duration ?? "1h",
                Start = start <= now ? "now" : start.ToString("O", CultureInfo.InvariantCulture),
            },
            new SpecContext(now, images, siteNames) { Limits = SiteStore.LimitsOf(await sites.GetLocalAsync(cancellationToken)) });
        problems.AddRange(parsed.Problems.Where(p => p.Field != "start"));
        if (problems.Count > 0 || parsed.Spec is not { } spec)
        {
            return Problems.Invalid(problems, "The fit query is not valid");
        }

        var (hosts, claims) = await store.ReadCalendarAsync(site.Id, start.ToUnixTimeMilliseconds(), cancellationToken);
        var request = PlacementRequest.For(spec) with { Sites = [] };
        var windows = FitWindows.Of(request.At(start), hosts.Where(h => h.Site == site.Name).ToList(), new ClaimCalendar(claims), start, end);
        string? tenantName = null;
        if (caller.TenantId is { } tenantId && await tenancy.GetTenantAsync(tenantId, cancellationToken) is { } tenant)
        {
            // a start the quota refuses is no fit for this tenant
            var held = TenantReservations.Of(await tenancy.QuotaClustersAsync(tenant.Id, QuotaCheck.MonthStart(start).ToUnixTimeMilliseconds(), cancellationToken));
            windows = QuotaFit.Both(windows, QuotaFit.Starts(TenantQuotas.Read(tenant), held, TenantReservations.Of(spec), request.Duration, start, end));
            tenantName = tenant.Name;
        }

        return Results.Ok(new FitWindowsView(
            site.Name, start, end, DurationText.Format(request.Duration), windows.Select(w => new FitWindowView(w.First, w.Last)).ToList(), tenantName));
    }

    private static async Task<IResult> GetAsync(
        string? from, string? to, string? step, int? cpus, string? memory, string? disk, bool? peers, Caller caller,
        AdmissionStore store, TenancyStore tenancy, PeerStore peerStore, FederationClient federation, LocalSite site, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var (query, problems) = CapacityQuery.Read(from, to, step, cpus, memory, disk, clock.GetUtcNow());
        if (problems.Count > 0)
        {
            return Problems.Invalid(problems, "The capacity query is not valid");
        }

        var view = await LocalAsync(query, store, site, cancellationToken);
        if (caller.TenantId is { } tenantId && await tenancy.GetTenantAsync(tenantId, cancellationToken) is { } tenant)
        {
            view = await WithHeadroomAsync(view, query, tenant, tenancy, cancellationToken);
        }

        if (peers is true)
        {
            var known = await peerStore.ListAsync(cancellationToken);
            view = view with { Peers = await Task.WhenAll(known.Select(p => PeerAsync(p, query, federation, cancellationToken))) };
        }

        return Results.Ok(view);
    }

    /// <summary>GET /federation/v1/capacity: this site's free capacity, for a peer's capacity view (no tenant, no peers of its own).</summary>
    public static void MapPeerCapacity(this WebApplication app) =>
        app.MapGet("/federation/v1/capacity", ForPeerAsync).WithName("getPeerCapacity").WithTags("federation").Produces<CapacityTimelineView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("A peer asks this site's free capacity over time, as GET /api/v1/capacity gives it.");

    private static async Task<IResult> ForPeerAsync(
        string? from, string? to, string? step, int? cpus, string? memory, string? disk,
        AdmissionStore store, LocalSite site, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (query, problems) = CapacityQuery.Read(from, to, step, cpus, memory, disk, clock.GetUtcNow());
        return problems.Count > 0
            ? Problems.Invalid(problems, "The capacity query is not valid")
            : Results.Ok(await LocalAsync(query, store, site, cancellationToken));
    }

    private static async Task<CapacityTimelineView> LocalAsync(CapacityQuery query, AdmissionStore store, LocalSite site, CancellationToken cancellationToken)
    {
        var (hosts, claims) = await store.ReadCalendarAsync(site.Id, query.From.ToUnixTimeMilliseconds(), cancellationToken);
        var steps = CapacityTimeline.Of(hosts, new ClaimCalendar(claims), query.From, query.To, query.Step, query.Shape);
        return new CapacityTimelineView(
            site.Name, query.From, query.To, DurationText.Format(query.Step), query.Shape?.ToString(),
            steps.Select(s => new CapacityStepView(
                s.Start, s.End, s.Free.Cpus, ByteSize.FromMebibytes(s.Free.MemoryMb).ToString(), ByteSize.FromMebibytes(s.Free.DiskMb).ToString(), s.Nodes)).ToList());
    }

    /// <summary>Each step with what the tenant's quota still allows through it.</summary>
    private static async Task<CapacityTimelineView> WithHeadroomAsync(
        CapacityTimelineView view, CapacityQuery query, TenantRecord tenant, TenancyStore tenancy, CancellationToken cancellationToken)
    {
        var quota = TenantQuotas.Read(tenant);
        var held = TenantReservations.Of(await tenancy.QuotaClustersAsync(tenant.Id, QuotaCheck.MonthStart(query.From).ToUnixTimeMilliseconds(), cancellationToken));
        return view with
        {
            Tenant = tenant.Name,
            Steps = view.Steps.Select(s =>
            {
                var room = QuotaHeadroom.Within(quota, held, s.Start, s.End);
                return s with
                {
                    Quota = new QuotaHeadroomView(
                        room.Nodes, room.Vcpus,
                        room.MemoryMb is { } m ? ByteSize.FromMebibytes(m).ToString() : null,
                        room.SharedMb is { } sh ? ByteSize.FromMebibytes(sh).ToString() : null,
                        room.NodeHours,
                        query.Shape is { } shape ? room.NodesOf(shape.Cpus, shape.MemoryMb) : null),
                };
            }).ToList(),
        };
    }

    /// <summary>A peer's capacity over the same steps; a peer that cannot answer in time is named with the reason, not an error of the whole view.</summary>
    private static async Task<PeerCapacityView> PeerAsync(PeerRecord peer, CapacityQuery query, FederationClient federation, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(PeerTimeout);
        try
        {
            return new PeerCapacityView(peer.Name, await federation.GetCapacityAsync(peer, query.ToQueryString(), deadline.Token), null);
        }
        catch (PeerCallException e)
        {
            return new PeerCapacityView(peer.Name, null, e.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new PeerCapacityView(peer.Name, null, $"site {peer.Name}'s manager at {peer.Url} did not answer within {PeerTimeout.TotalSeconds:0} s");
        }
    }
}
