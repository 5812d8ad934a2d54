using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Api;
using Vcm.Domain.Common;
using Vcm.Manager.Http;
using Vcm.Store.Records;
using Vcm.Store.Sites;

namespace Vcm.Manager.Api;

/// <summary>/api/v1/site/limits: the limits the provider sets on reservations here (read by anyone who may reserve, set by the provider).</summary>
public static class SiteLimitsEndpoints
{
    private static readonly TimeSpan Longest = TimeSpan.FromDays(3650);

    private const int MostOccurrences = 1000;

    public static void MapSiteLimits(this RouteGroupBuilder api)
    {
        api.MapGet("/site/limits", async (SiteStore sites, CancellationToken ct) => Results.Ok(View(await sites.GetLocalAsync(ct))))
            .WithName("getSiteLimits").WithTags("sites").Produces<SiteLimitsView>()
            .WithSummary("The limits on reservations at this site: the longest lease, how far ahead a reservation may start, how many times a cluster may be extended, the most occurrences of a series.");
        api.MapPut("/site/limits", SetAsync).WithName("setSiteLimits").WithTags("sites").Produces<SiteLimitsView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Sets the site's reservation limits (a duration like 30d, a count of extensions, or none; maxOccurrences 1 to 1000; a field left out stays). Admission enforces them from the next request on; what is reserved stays.");
    }

    private static async Task<IResult> SetAsync(SiteLimitsRequest? request, SiteStore sites, CancellationToken cancellationToken)
    {
        var current = await sites.GetLocalAsync(cancellationToken);
        var problems = new List<Problem>();
        var lease = Read("maxLease", request?.MaxLease, current.MaxLeaseMs, problems);
        var advance = Read("maxAdvance", request?.MaxAdvance, current.MaxAdvanceMs, problems);
        var occurrences = current.MaxOccurrences;
        if (request?.MaxOccurrences is { } most)
        {
            if (most is >= 1 and <= MostOccurrences)
            {
                occurrences = most;
            }
            else
            {
                problems.Add(new Problem("maxOccurrences", $"is {most}; give a number from 1 to {MostOccurrences}"));
            }
        }

        var extensions = ReadCount("maxExtensions", request?.MaxExtensions, current.MaxExtensions, problems);
        if (problems.Count > 0)
        {
            return Problems.Invalid(problems, "The site limits are not valid");
        }

        return Results.Ok(View(await sites.SetLimitsAsync(lease, advance, occurrences, extensions, cancellationToken)));
    }

    private static long? Read(string field, string? text, long? current, List<Problem> problems)
    {
        if (text is null)
        {
            return current;
        }

        if (text is "none")
        {
            return null;
        }

        if (DurationText.TryParse(text, out var duration) && duration >= TimeSpan.FromMinutes(1) && duration <= Longest)
        {
            return (long)duration.TotalMilliseconds;
        }

        problems.Add(new Problem(field, "must be a duration from 1m to 3650d, like 7d or 12h, or none"));
        return current;
    }

    private static int? ReadCount(string field, string? text, int? current, List<Problem> problems)
    {
        if (text is null)
        {
            return current;
        }

        if (text is "none")
        {
            return null;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) && count <= 10_000)
        {
            return count;
        }

        problems.Add(new Problem(field, "must be a whole number from 0 to 10000, or none"));
        return current;
    }

    private static SiteLimitsView View(SiteRecord site)
    {
        var limits = SiteStore.LimitsOf(site);
        return new SiteLimitsView(
            limits.MaxLease is { } lease ? DurationText.Format(lease) : null,
            limits.MaxAdvance is { } advance ? DurationText.Format(advance) : null,
            limits.MaxOccurrences,
            limits.MaxExtensions?.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
