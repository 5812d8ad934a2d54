using Microsoft.AspNetCore.Http;
using Vcm.Api;
using Vcm.Domain.Common;

namespace Vcm.Manager.Http;

/// <summary>RFC 9457 problem documents for every error the API returns.</summary>
public static class Problems
{
    public const string InvalidType = "/problems/invalid-request";
    public const string NoCapacityType = "/problems/no-capacity";
    public const string NotFoundType = "/problems/not-found";
    public const string UnauthorizedType = "/problems/unauthorized";
    public const string PeerType = "/problems/peer";
    public const string ForbiddenType = "/problems/forbidden";
    public const string TooManyType = "/problems/too-many-requests";
    public const string ConflictType = "/problems/conflict";
    public const string QuotaType = "/problems/quota-exceeded";
    public const string PreconditionType = "/problems/precondition-failed";
    public const string BodyTooLargeType = "/problems/body-too-large";

    /// <summary>Every problem of a request (400 unless <paramref name="status"/> says otherwise: 413, 422).</summary>
    public static IResult Invalid(IReadOnlyList<Problem> problems, string title = "The request is not valid", int status = StatusCodes.Status400BadRequest) =>
        Results.Problem(
            title: title,
            detail: problems.Count == 1 ? $"1 problem: {problems[0]}" : $"{problems.Count} problems: " + string.Join("; ", problems),
            statusCode: status,
            type: status == StatusCodes.Status413PayloadTooLarge ? BodyTooLargeType : InvalidType,
            extensions: new Dictionary<string, object?> { ["errors"] = problems.Select(p => new FieldProblemView(p.Field, p.Message)).ToList() });

    public static IResult NoCapacity(string reason, DateTimeOffset? earliestStart) =>
        Results.Problem(
            title: "Not enough capacity for the whole window",
            detail: earliestStart is { } start
                ? $"{reason}. The same request would fit from {start:u}."
                : $"{reason}.",
            statusCode: StatusCodes.Status409Conflict,
            type: NoCapacityType,
            extensions: new Dictionary<string, object?> { ["earliestStart"] = earliestStart });

    /// <summary>A change to a cluster (an extension, a resize) the calendar has no room for, with the most that would fit (<paramref name="fitsName"/>: latestEnd, largestWorkers).</summary>
    public static IResult NoCapacityForChange(string detail, string fitsName, object fits) =>
        Results.Problem(
            title: "Not enough capacity for the change",
            detail: detail,
            statusCode: StatusCodes.Status409Conflict,
            type: NoCapacityType,
            extensions: new Dictionary<string, object?> { [fitsName] = fits });

    /// <summary>A request (or a lowered quota) that a tenant's quota does not leave room for: each quota named with its limit, what is in use and what was asked.</summary>
    public static IResult OverQuota(string tenant, IReadOnlyList<Domain.Tenancy.QuotaExcess> excesses, string? detail = null) =>
        Results.Problem(
            title: "Over the tenant's quota",
            detail: detail ?? $"Tenant {tenant}'s quota leaves no room for this: " + string.Join("; ", excesses) + ".",
            statusCode: StatusCodes.Status409Conflict,
            type: QuotaType,
            extensions: new Dictionary<string, object?>
            {
                ["tenant"] = tenant,
                ["quotas"] = excesses.Select(e => new QuotaExcessView(e.Quota, e.Limit, e.Used, e.Asked, e.When)).ToList(),
            });

    public static IResult NotFound(string what) =>
        Results.Problem(title: "Not found", detail: $"{what} does not exist.", statusCode: StatusCodes.Status404NotFound, type: NotFoundType);

    /// <summary>409: the request is sound but clashes with what exists (a name taken, a resource in use).</summary>
    public static IResult Conflict(string detail, IReadOnlyList<Problem>? problems = null) =>
        Results.Problem(
            title: "Conflict",
            detail: detail,
            statusCode: StatusCodes.Status409Conflict,
            type: ConflictType,
            extensions: problems is null ? null : new Dictionary<string, object?> { ["errors"] = problems.Select(p => new FieldProblemView(p.Field, p.Message)).ToList() });

    public static IResult Forbidden(string detail) =>
        Results.Problem(title: "Forbidden", detail: detail, statusCode: StatusCodes.Status403Forbidden, type: ForbiddenType);

    /// <summary>A peer site refused its part (409 when for capacity) or could not be reached or did not accept our key (502).</summary>
    public static IResult Peer(string site, Peers.PeerFailure failure, string reason, bool allWithdrawn) =>
        Results.Problem(
            title: failure == Peers.PeerFailure.NoCapacity ? "Not enough capacity for the whole window" : $"Site {site} did not admit its part",
            detail: allWithdrawn ? $"{reason}. Nothing is reserved at any site." : $"{reason}.",
            statusCode: failure == Peers.PeerFailure.NoCapacity ? StatusCodes.Status409Conflict : StatusCodes.Status502BadGateway,
            type: failure == Peers.PeerFailure.NoCapacity ? NoCapacityType : PeerType,
            extensions: new Dictionary<string, object?> { ["site"] = site });
}
