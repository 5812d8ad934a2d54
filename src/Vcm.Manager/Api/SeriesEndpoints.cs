using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Api;
using Vcm.Domain.Common;
using Vcm.Domain.Series;
using Vcm.Manager.Admission;
using Vcm.Manager.Auth;
using Vcm.Manager.Controllers;
using Vcm.Manager.Http;
using Vcm.Store.Records;
using Vcm.Store.Series;
using Vcm.Store.Tenancy;

namespace Vcm.Manager.Api;

/// <summary>/api/v1/series: recurring reservations — create (every occurrence admitted in one transaction), list, show, delete the rest or one occurrence.</summary>
public static class SeriesEndpoints
{
    public static void MapSeries(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/series").WithTags("series");
        group.MapPost("/", CreateAsync)
            .WithName("createSeries")
            .WithMetadata(new RequestBodySchema(typeof(SeriesInput)))
            .Produces<SeriesView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary("Reserve a cluster on every start of an RFC 5545 rule (repeat, in timeZone); admitted whole, or with allowPartial the occurrences that fit.");
        group.MapGet("/", ListAsync).WithName("listSeries").Produces<IReadOnlyList<SeriesView>>()
            .WithSummary("The caller's tenant's series (the provider's: all), oldest first, without their occurrences.");
        group.MapGet("/{name}", GetAsync).WithName("getSeries").Produces<SeriesView>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One series with its occurrences (dates, clusters, phases) and those it could not admit.");
        group.MapDelete("/{name}", DeleteAsync).WithName("deleteSeries").Produces<SeriesView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("The rest of a series: every occurrence not yet ended is released; ended ones stay in history.");
        group.MapDelete("/{name}/occurrences/{date}", DeleteOccurrenceAsync).WithName("deleteSeriesOccurrence").Produces<SeriesView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Releases the occurrence on one local date (2027-04-13; with -HHMM where the series' names carry a time).");
    }

    private static async Task<IResult> CreateAsync(
        HttpRequest request, Caller caller, ClusterAdmission admission, ClusterController controller, SeriesStore series, TenancyStore tenancy,
        CancellationToken cancellationToken)
    {
        var (input, readProblems, tooLarge) = await ClusterRequestReader.ReadAsync<SeriesInput>(request, cancellationToken);
        if (tooLarge)
        {
            return Problems.Invalid(readProblems, "The request body is too large", StatusCodes.Status413PayloadTooLarge);
        }

        if (readProblems.Any(p => p.Field.Length == 0))
        {
            return Problems.Invalid(readProblems);
        }

        var (withKeys, keyProblems) = await ClusterKeys.AddUsersKeysAsync(input, caller, tenancy, cancellationToken);
        var (plan, packages, problems) = await admission.ParseSeriesAsync((SeriesInput)withKeys, [.. readProblems, .. keyProblems], cancellationToken);
        if (plan is null)
        {
            return Problems.Invalid(problems, "The series request is not valid");
        }

        var owner = new ClusterOwner(caller.IsProvider ? null : caller.TenantId, caller.Id);
        var outcome = await admission.AdmitSeriesAsync(
            new SeriesRequest(plan, packages, owner, JsonSerializer.Serialize(input, ApiJson.Options)), cancellationToken);
        switch (outcome)
        {
            case SeriesOutcome.Invalid invalid:
                return Problems.Invalid(invalid.Problems, "The series request is not valid");
            case SeriesOutcome.NameTaken taken:
                return Problems.Conflict($"A series named '{taken.Name}' exists already; choose another name or delete that series first.");
            case SeriesOutcome.NotAdmitted refused:
                return NotAdmitted(refused);
            case SeriesOutcome.Admitted admitted:
                foreach (var cluster in admitted.Clusters)
                {
                    controller.Trigger(cluster.Id);
                }

                return Results.Created($"/api/v1/series/{admitted.Series.Name}", await ViewAsync(admitted.Series, series, true, cancellationToken));
            default:
                throw new InvalidOperationException("unknown series outcome");
        }
    }

    /// <summary>409: each occurrence that does not fit, with its date and why; nothing was stored.</summary>
    private static IResult NotAdmitted(SeriesOutcome.NotAdmitted refused) =>
        Results.Problem(
            title: "Not every occurrence of the series fits",
            detail: $"{refused.Occurrences.Count} of the {refused.Total} occurrences cannot be admitted"
                + (refused.Occurrences.Count < refused.Total ? " (allowPartial admits the others)" : "") + ": "
                + string.Join("; ", refused.Occurrences.Select(o => $"{o.Date}: {o.Reason}")) + ". Nothing was reserved.",
            statusCode: StatusCodes.Status409Conflict,
            type: Problems.NoCapacityType,
            extensions: new Dictionary<string, object?> { ["refused"] = refused.Occurrences.Select(Refused).ToList() });

    private static async Task<IResult> ListAsync(Caller caller, SeriesStore series, CancellationToken cancellationToken)
    {
        var counts = await series.CountsAsync(cancellationToken);
        return Results.Ok((await series.ListAsync(cancellationToken)).Where(s => caller.SeesOwned(s.TenantId))
            .Select(s => View(s, counts.GetValueOrDefault(s.Id), null)).ToList());
    }

    private static async Task<IResult> GetAsync(string name, Caller caller, SeriesStore series, CancellationToken cancellationToken)
    {
        var found = await series.FindAsync(name, cancellationToken);
        return found is null || !caller.SeesOwned(found.TenantId)
            ? Problems.NotFound($"A series named '{name}'")
            : Results.Ok(await ViewAsync(found, series, true, cancellationToken));
    }

    private static async Task<IResult> DeleteAsync(
        string name, Caller caller, SeriesStore series, ClusterController controller, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (found, refused) = await FindManagedAsync(name, caller, series, cancellationToken);
        if (found is null)
        {
            return refused!;
        }

        foreach (var cluster in (await series.OccurrencesAsync(found.Id, cancellationToken)).Where(c => c.ActiveName is not null))
        {
            await controller.RequestDeletionAsync(cluster.Id, cancellationToken);
        }

        var deleted = await series.MarkDeletedAsync(found.Id, clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken) ?? found;
        return Results.Accepted($"/api/v1/series/{name}", await ViewAsync(deleted, series, true, cancellationToken));
    }

    private static async Task<IResult> DeleteOccurrenceAsync(
        string name, string date, Caller caller, SeriesStore series, ClusterController controller, CancellationToken cancellationToken)
    {
        var (found, refused) = await FindManagedAsync(name, caller, series, cancellationToken);
        if (found is null)
        {
            return refused!;
        }

        var matching = (await series.OccurrencesAsync(found.Id, cancellationToken))
            .Where(c => c.ActiveName is not null && OccurrenceNames.Matches(found.Name, c.Name, date)).ToList();
        if (matching.Count == 0)
        {
            return Problems.NotFound($"A live occurrence of series '{name}' on {date}");
        }

        foreach (var cluster in matching)
        {
            await controller.RequestDeletionAsync(cluster.Id, cancellationToken);
        }

        return Results.Accepted($"/api/v1/series/{name}", await ViewAsync(found, series, true, cancellationToken));
    }

    /// <summary>The series the caller may delete (in part), or the answer: 404 when it does not see it, 403 when it may not.</summary>
    private static async Task<(SeriesRecord? Series, IResult? Refused)> FindManagedAsync(string name, Caller caller, SeriesStore series, CancellationToken cancellationToken)
    {
        var found = await series.FindAsync(name, cancellationToken);
        if (found is null || !caller.SeesOwned(found.TenantId))
        {
            return (null, Problems.NotFound($"A series named '{name}'"));
        }

        return caller.ManagesOwned(found.TenantId, found.CreatedBy)
            ? (found, null)
            : (null, Problems.Forbidden($"Only its creator, a tenant-admin of its tenant or the provider may delete series '{name}' or its occurrences."));
    }

    private static async Task<SeriesView> ViewAsync(SeriesRecord series, SeriesStore store, bool full, CancellationToken cancellationToken)
    {
        var occurrences = await store.OccurrencesAsync(series.Id, cancellationToken);
        return View(series, (occurrences.Count, occurrences.Count(c => c.ActiveName is not null)), full ? occurrences : null);
    }

    private static SeriesView View(SeriesRecord series, (int All, int Live) counts, IReadOnlyList<ClusterRecord>? occurrences) => new(
        series.Name,
        series.Rule,
        series.TimeZone,
        DateTimeOffset.FromUnixTimeMilliseconds(series.CreatedMs),
        counts.All,
        counts.Live,
        occurrences?.Select(c => new SeriesOccurrenceView(LocalDate(series, c), c.Spec.Start, c.Spec.End, c.Name, c.Phase.ToString())).ToList(),
        occurrences is null ? null : RefusedOccurrence.Parse(series.Refused).Select(Refused).ToList());

    /// <summary>The local date of an occurrence's start, as its name carries it (NAME-YYYYMMDD[-HHMM]).</summary>
    private static string LocalDate(SeriesRecord series, ClusterRecord cluster)
    {
        var digits = cluster.Name.Length >= series.Name.Length + 9 ? cluster.Name.Substring(series.Name.Length + 1, 8) : "";
        return digits.Length == 8 && digits.All(char.IsAsciiDigit) ? $"{digits[..4]}-{digits[4..6]}-{digits[6..]}" : $"{cluster.Spec.Start:yyyy-MM-dd}";
    }

    private static RefusedOccurrenceView Refused(RefusedOccurrence o) => new(o.Date, o.Start, o.Name, o.Reason);
}
