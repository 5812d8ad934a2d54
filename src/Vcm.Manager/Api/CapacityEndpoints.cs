using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Domain.Scheduling;
using Vcm.Domain.Sizes;
using Vcm.Manager.Configuration;
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

    public static void MapCapacity(this RouteGroupBuilder api)
    {
        api.MapGet("/capacity", GetAsync).WithName("getCapacity").WithTags("sites").Produces<CapacityTimelineView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("The site's free capacity over time: from (default now), to (default a day later), step (default 1h); with cpus (and memory, disk) also how many such nodes fit in each step.");
        api.MapGet("/capacity/fit", FitAsync).WithName("getCapacityFit").WithTags("sites").Produces<FitWindowsView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Where a request (workers, head, cpus, memory, disk, duration — as a cluster create takes them) fits at this site, for starts from from (default now) to to (default 7 days later): runs of starts, each start in them fits its whole window.");
    }

    private static async Task<IResult> FitAsync(
        string? from, string? to, long? workers, bool? head, long? cpus, string? memory, string? disk, string? duration,
        AdmissionStore store, SiteStore sites, LocalSite site, TimeProvider clock, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        var now = clock.GetUtcNow();
        var start = Time("from", from, now, problems);
        var end = to is null ? start + FitSpan : Time("to", to, now, problems);
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
        return Results.Ok(new FitWindowsView(
            site.Name, start, end, DurationText.Format(request.Duration), windows.Select(w => new FitWindowView(w.First, w.Last)).ToList()));
    }

    private static async Task<IResult> GetAsync(
        string? from, string? to, string? step, int? cpus, string? memory, string? disk,
        AdmissionStore store, LocalSite site, TimeProvider clock, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        var now = clock.GetUtcNow();
        var start = Time("from", from, now, problems);
        var span = DurationOf("step", step, DefaultStep, problems);
        var end = to is null ? start + DefaultSpan : Time("to", to, now, problems);
        if (problems.Count == 0 && end <= start)
        {
            problems.Add(new Problem("to", "must be after from"));
        }
        else if (problems.Count == 0 && (end - start).Ticks / span.Ticks >= CapacityTimeline.MaxSteps)
        {
            problems.Add(new Problem("step", $"makes more than {CapacityTimeline.MaxSteps} steps between from and to: take a longer step or a shorter range"));
        }

        Resources? shape = null;
        if (cpus is not null || memory is not null || disk is not null)
        {
            if (cpus is < 1 or > SpecLimits.MaxCpus)
            {
                problems.Add(new Problem("cpus", $"must be from 1 to {SpecLimits.MaxCpus}"));
            }

            var mem = Size("memory", memory, SpecLimits.DefaultMemory, problems);
            var dsk = Size("disk", disk, SpecLimits.DefaultDisk, problems);
            shape = new Resources(cpus ?? SpecLimits.DefaultCpus, mem.Mebibytes, dsk.Mebibytes);
        }

        if (problems.Count > 0)
        {
            return Problems.Invalid(problems, "The capacity query is not valid");
        }

        var (hosts, claims) = await store.ReadCalendarAsync(site.Id, start.ToUnixTimeMilliseconds(), cancellationToken);
        var steps = CapacityTimeline.Of(hosts, new ClaimCalendar(claims), start, end, span, shape);
        return Results.Ok(new CapacityTimelineView(
            site.Name, start, end, DurationText.Format(span), shape?.ToString(),
            steps.Select(s => new CapacityStepView(
                s.Start, s.End, s.Free.Cpus, ByteSize.FromMebibytes(s.Free.MemoryMb).ToString(), ByteSize.FromMebibytes(s.Free.DiskMb).ToString(), s.Nodes)).ToList()));
    }

    private static DateTimeOffset Time(string field, string? text, DateTimeOffset now, List<Problem> problems)
    {
        if (text is null or "now")
        {
            return now;
        }

        if (ClusterSpecParser.TryParseTime(text, out var time))
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());
        }

        problems.Add(new Problem(field, "must be now or an ISO 8601 time like 2027-04-06T09:00+09:00"));
        return now;
    }

    private static TimeSpan DurationOf(string field, string? text, TimeSpan fallback, List<Problem> problems)
    {
        if (text is null)
        {
            return fallback;
        }

        if (DurationText.TryParse(text, out var duration) && duration >= TimeSpan.FromMinutes(1))
        {
            return duration;
        }

        problems.Add(new Problem(field, "must be a duration of at least 1m, like 15m, 1h or 1d"));
        return fallback;
    }

    private static ByteSize Size(string field, string? text, ByteSize fallback, List<Problem> problems)
    {
        if (text is null)
        {
            return fallback;
        }

        if (ByteSize.TryParse(text, out var size, out var error))
        {
            return size;
        }

        problems.Add(new Problem(field, error));
        return fallback;
    }
}
