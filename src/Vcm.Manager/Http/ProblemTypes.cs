using Microsoft.AspNetCore.Http;

namespace Vcm.Manager.Http;

/// <summary>
/// Every problem type the API can answer with. <see cref="Problems"/> names the ones handlers choose; an error the
/// framework makes (a bad query value, an unknown route, a wrong content type, an unhandled exception) gets the type of
/// its status (<see cref="ForStatus"/>).
/// </summary>
public static class ProblemTypes
{
    public static readonly ProblemType InvalidRequest = new(
        "invalid-request", StatusCodes.Status400BadRequest, "The request is not valid",
        "A field of the body, a query value or a path segment is not what the operation takes. `errors` lists every problem found, each with its field; nothing was changed.");

    public static readonly ProblemType Unauthorized = new(
        "unauthorized", StatusCodes.Status401Unauthorized, "Unauthorized",
        "The request carries no token, or one this manager does not accept (unknown, expired or revoked). Send `Authorization: Bearer TOKEN`.");

    public static readonly ProblemType Forbidden = new(
        "forbidden", StatusCodes.Status403Forbidden, "Forbidden",
        "The token is valid but its holder may not do this.");

    public static readonly ProblemType NotFound = new(
        "not-found", StatusCodes.Status404NotFound, "Not found",
        "The resource named in the path does not exist (or no route matches the path).");

    public static readonly ProblemType MethodNotAllowed = new(
        "method-not-allowed", StatusCodes.Status405MethodNotAllowed, "Method not allowed",
        "The path exists but does not take this HTTP method; the `Allow` header lists the ones it takes.");

    public static readonly ProblemType NotAcceptable = new(
        "not-acceptable", StatusCodes.Status406NotAcceptable, "Not acceptable",
        "The operation cannot answer in any media type the request's `Accept` header allows.");

    public static readonly ProblemType Conflict = new(
        "conflict", StatusCodes.Status409Conflict, "Conflict",
        "The request conflicts with the resource's current state (it is in use, not built yet, or already exists); `detail` says how.");

    public static readonly ProblemType NoCapacity = new(
        "no-capacity", StatusCodes.Status409Conflict, "Not enough capacity for the whole window",
        "The site (or a peer site) cannot hold the cluster for every moment of its window. When a later start would fit, `earliestStart` gives it; nothing is reserved.");

    public static readonly ProblemType QuotaExceeded = new(
        "quota-exceeded", StatusCodes.Status409Conflict, "Over the tenant's quota",
        "The tenant's quota leaves no room for the request in its window (reserved clusters count, not only running ones), or a quota would be set below what is reserved; `quotas` lists each quota exceeded with its limit, what is in use and what was asked. Nothing was changed.");

    public static readonly ProblemType PreconditionFailed = new(
        "precondition-failed", StatusCodes.Status412PreconditionFailed, "Precondition failed",
        "The resource changed since the version named in `If-Match`; read it again and retry.");

    public static readonly ProblemType BodyTooLarge = new(
        "body-too-large", StatusCodes.Status413PayloadTooLarge, "The body is too large",
        "The request body is larger than the manager reads (16 MiB); nothing was read or changed.");

    public static readonly ProblemType UnsupportedMediaType = new(
        "unsupported-media-type", StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
        "The body's `Content-Type` is not one the operation reads; send `application/json`.");

    public static readonly ProblemType RangeNotSatisfiable = new(
        "range-not-satisfiable", StatusCodes.Status416RangeNotSatisfiable, "Range not satisfiable",
        "The `Range` asked for lies outside the file; `Content-Range` gives the file's length.");

    public static readonly ProblemType Unprocessable = new(
        "unprocessable", StatusCodes.Status422UnprocessableEntity, "The request cannot be processed",
        "The request is well formed but cannot be carried out as asked (for example an `Idempotency-Key` reused with a different body).");

    public static readonly ProblemType TooManyRequests = new(
        "too-many-requests", StatusCodes.Status429TooManyRequests, "Too many requests",
        "Too many requests (or failed authentications) from this client; retry after the `Retry-After` header's seconds.");

    public static readonly ProblemType InternalError = new(
        "internal-error", StatusCodes.Status500InternalServerError, "The manager failed",
        "The manager could not handle the request because of an error of its own; its log holds the error under the `traceId`.");

    public static readonly ProblemType Peer = new(
        "peer", StatusCodes.Status502BadGateway, "A peer site did not answer as needed",
        "A peer site could not be reached, or did not accept this site's key or request; `site` names it. Nothing is reserved at any site.");

    public static readonly ProblemType BadGateway = new(
        "bad-gateway", StatusCodes.Status502BadGateway, "An upstream service failed",
        "Something the manager relies on for this request (a mirror, an agent) failed to answer; `detail` says what.");

    public static readonly ProblemType Unavailable = new(
        "unavailable", StatusCodes.Status503ServiceUnavailable, "Unavailable",
        "The manager cannot serve the request right now (starting or stopping); retry later.");

    public static readonly ProblemType Error = new(
        "error", 0, "The request failed",
        "An HTTP error without a more specific type; `status` and `detail` say what happened.");

    public static IReadOnlyList<ProblemType> All { get; } =
    [
        InvalidRequest, Unauthorized, Forbidden, NotFound, MethodNotAllowed, NotAcceptable, Conflict, NoCapacity,
        QuotaExceeded, PreconditionFailed, BodyTooLarge, UnsupportedMediaType, RangeNotSatisfiable, Unprocessable, TooManyRequests,
        InternalError, BadGateway, Peer, Unavailable, Error,
    ];

    private static readonly Dictionary<string, ProblemType> BySlug = All.ToDictionary(t => t.Slug, StringComparer.Ordinal);

    /// <summary>The type for an error that carries no type of its own: the first of its status, else <see cref="Error"/>.</summary>
    public static ProblemType ForStatus(int status) => All.FirstOrDefault(t => t.Status == status) ?? Error;

    public static ProblemType? Find(string slug) => BySlug.GetValueOrDefault(slug);

    /// <summary>The type named by a relative type URI (<c>/problems/SLUG</c>), or null.</summary>
    public static ProblemType? FromPath(string? path) =>
        path is not null && path.StartsWith("/problems/", StringComparison.Ordinal) ? Find(path["/problems/".Length..]) : null;
}
