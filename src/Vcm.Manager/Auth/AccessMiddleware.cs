using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Vcm.Manager.Http;

namespace Vcm.Manager.Auth;

/// <summary>
/// Runs after routing and before any endpoint reads its body: looks the route up in <see cref="RoutePolicies"/>,
/// authenticates the caller among the kinds it admits and lets the request through, or answers 401 (no valid
/// token or session), 403 (a caller the route does not admit, or a browser's session used from another site or
/// without its CSRF header), or 429 (too many failed sign-ins from the address).
/// </summary>
public sealed partial class AccessMiddleware(
    RequestDelegate next, Authenticator authenticator, FailedSignIns failures, AuditTrail audit, ILogger<AccessMiddleware> logger)
{
    /// <summary>The routes agents and peer sites call, which carry the site's secrets.</summary>
    public static bool SiteTraffic(HttpRequest request) =>
        request.Path.StartsWithSegments("/api/v1/agents") || request.Path.StartsWithSegments("/federation");

    // no address: a request made in this process (the test server)
    private static bool Loopback(System.Net.IPAddress? address) => address is null || Vcm.Drivers.Tls.Loopback.Is(address);

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null)
        {
            await next(context); // no route: the framework answers 404/405
            return;
        }

        if (endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>() is not { } methods
            || !methods.HttpMethods.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase))
        {
            // routing's own answer (405 method not allowed, 415 media type) runs no handler; every route we map names
            // its methods (a route without them fails RouteTableTests)
            await next(context);
            return;
        }

        var access = RoutePolicies.For(endpoint, context.Request.Method);
        var action = context.Request.Method + " " + RoutePolicies.Pattern(endpoint);
        if (access is null)
        {
            LogNoPolicy(logger, context.Request.Method, context.Request.Path);
            await WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden", "This route has no access policy; nobody may call it.", Problems.ForbiddenType);
            return;
        }

        if (SiteTraffic(context.Request) && !context.Request.IsHttps && !Loopback(context.Connection.RemoteIpAddress))
        {
            await WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden",
                "Agents and peer sites talk to this manager over HTTPS only; plain HTTP is taken on loopback alone.", Problems.ForbiddenType);
            return;
        }

        if (access.Anyone)
        {
            await next(context);
            if (AuditTrail.Audits(context.Request.Method, action))
            {
                await audit.RecordAsync(context, null, action, context.Response.StatusCode, null);
            }

            return;
        }

        var address = context.Connection.RemoteIpAddress;
        if (failures.RetryAfter(address) is { } wait)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many failed sign-ins",
                $"Too many requests with a wrong token came from this address; try again in {Math.Ceiling(wait.TotalSeconds)} s.", Problems.TooManyType);
            await audit.RecordAsync(context, null, action, StatusCodes.Status429TooManyRequests, "too many failed sign-ins from the address");
            return;
        }

        // Not cancelled when the caller hangs up: a request that was read is seen through to its handler, which decides
        // what a late request means (a federation part read after its deadline is logged and admits nothing).
        var caller = await authenticator.AuthenticateAsync(context.Request, access, CancellationToken.None);
        if (caller is null && WebSessions.SecretOf(context.Request) is not null)
        {
            // an ended or expired session is not a guessed token: the browser signs in again
            await WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized", "The session has ended; sign in again.", Problems.UnauthorizedType);
            return;
        }

        if (caller is null)
        {
            var hadToken = context.Request.Headers.Authorization.Count > 0;
            if (hadToken)
            {
                failures.Record(address);
                LogFailed(logger, address?.ToString() ?? "?", context.Request.Method, context.Request.Path);
            }

            context.Response.Headers.WWWAuthenticate = "Bearer";
            await WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized",
                hadToken ? "The bearer token is not valid here (unknown, expired or revoked)." : "A bearer token is required.", Problems.UnauthorizedType);
            if (hadToken)
            {
                await audit.RecordAsync(context, null, action, StatusCodes.Status401Unauthorized, "sign-in failed: unknown, expired or revoked token");
            }

            return;
        }

        if (WebSessions.SecretOf(context.Request) is { } session && WebSessions.CrossSiteProblem(context.Request, session) is { } crossSite)
        {
            await WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden", crossSite, Problems.ForbiddenType);
            await audit.RecordAsync(context, caller, action, StatusCodes.Status403Forbidden, "refused: " + crossSite);
            return;
        }

        if (!access.Allows(caller))
        {
            await WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden", $"Only {access} may do this.", Problems.ForbiddenType);
            await audit.RecordAsync(context, caller, action, StatusCodes.Status403Forbidden, $"refused: only {access} may do this");
            return;
        }

        caller.AttachTo(context);
        await next(context);
        if (AuditTrail.Audits(context.Request.Method, action))
        {
            await audit.RecordAsync(context, caller, action, context.Response.StatusCode, null);
        }
    }

    private static Task WriteAsync(HttpContext context, int status, string title, string detail, string type) =>
        Results.Problem(title: title, detail: detail, statusCode: status, type: type).ExecuteAsync(context);

    [LoggerMessage(Level = LogLevel.Warning, Message = "refused {Method} {Path}: no access policy for its route")]
    private static partial void LogNoPolicy(ILogger logger, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "failed authentication from {Address} on {Method} {Path}")]
    private static partial void LogFailed(ILogger logger, string address, string method, string path);
}
