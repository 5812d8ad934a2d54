using Microsoft.AspNetCore.Http;

namespace Vcm.Manager.Http;

/// <summary>
/// Optimistic concurrency for changing requests: a resource's ETag is its row version (W/"7"); a request with
/// If-Match that names none of the current ETags (nor "*") is refused 412 and changes nothing.
/// </summary>
public static class Preconditions
{
    public static string ETag(long version) => $"W/\"{version}\"";

    public static void SetETag(HttpContext context, long version) => context.Response.Headers.ETag = ETag(version);

    /// <summary>A 412 problem when If-Match is given and stale; null to go on.</summary>
    public static IResult? Check(HttpRequest request, long version, string what)
    {
        var ifMatch = request.Headers.IfMatch.ToString();
        if (ifMatch.Length == 0)
        {
            return null;
        }

        var current = ETag(version);
        var given = ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return given.Any(g => g == "*" || g == current || "W/" + g == current)
            ? null
            : Results.Problem(
                title: "Precondition failed",
                detail: $"{what} has changed since you read it (If-Match {ifMatch}, now {current}); read it again and retry.",
                statusCode: StatusCodes.Status412PreconditionFailed,
                type: Problems.PreconditionType);
    }
}
