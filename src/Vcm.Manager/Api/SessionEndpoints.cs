using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Api;
using Vcm.Domain.Common;
using Vcm.Manager.Auth;
using Vcm.Manager.Http;
using Vcm.Store.Auth;
using Vcm.Store.Tenancy;

namespace Vcm.Manager.Api;

/// <summary>
/// POST /api/v1/session: a local account signs in with its name and password and gets an API token, as `vcm token
/// create` makes them (12 h unless asked otherwise, at most 30 d), or with <c>web</c> a browser's session in an
/// HttpOnly cookie (<see cref="WebSessions"/>). A wrong name or password is one answer (401), counted against the
/// address like a wrong token; past the limit the address waits (429). DELETE /api/v1/session signs out; GET
/// /api/v1/auth tells a sign-in page which ways of signing in this site offers.
/// </summary>
public static class SessionEndpoints
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(12);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);

    public static void MapSession(this RouteGroupBuilder api)
    {
        api.MapPost("/session", SignInAsync).WithName("signIn").WithTags("tokens").Produces<TokenView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .Produces<SessionView>(StatusCodes.Status201Created)
            .WithSummary("Signs in with a local account's name and password; the answer holds a new API token (shown once), or with web: true starts a browser's session in an HttpOnly cookie.");
        api.MapDelete("/session", SignOutAsync).WithName("signOut").WithTags("tokens").Produces<SignOutView>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Signs out: ends the browser's session (or revokes the API token used) and clears the cookies; logout names where to end the session at the identity provider.");
        api.MapGet("/auth", (AuthMethods methods) => Results.Ok(methods.View)).WithName("authMethods").WithTags("tokens").Produces<AuthMethodsView>()
            .WithSummary("How one signs in here: a local account's password, and the OpenID provider when one is configured.");
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, Caller caller, WebSessions sessions, AuthMethods methods, CancellationToken cancellationToken)
    {
        var idToken = await sessions.EndAsync(http, caller, cancellationToken);
        return Results.Ok(new SignOutView(idToken is null ? null : await methods.ProviderLogoutAsync(http, idToken, cancellationToken)));
    }

    private static async Task<IResult> SignInAsync(
        HttpContext http, SignInRequest? request, TenancyStore tenancy, TokenStore tokens, Passwords passwords, FailedSignIns failures, WebSessions sessions,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var address = http.Connection.RemoteIpAddress;
        if (failures.Refusal(http) is { } tooMany)
        {
            return tooMany;
        }

        var problems = new List<Problem>();
        if (string.IsNullOrEmpty(request?.User))
        {
            problems.Add(new Problem("user", "is required"));
        }

        if (string.IsNullOrEmpty(request?.Password))
        {
            problems.Add(new Problem("password", "is required"));
        }

        var lifetime = DefaultLifetime;
        if (request?.Expires is { } expires && !(DurationText.TryParse(expires, out lifetime) && lifetime >= TimeSpan.FromMinutes(1) && lifetime <= MaxLifetime))
        {
            problems.Add(new Problem("expires", "must be a duration from 1m to 30d, like 12h"));
        }

        TokenEndpoints.CheckName(request?.Name, problems);

        if (problems.Count > 0)
        {
            return Problems.Invalid(problems, "The sign-in is not valid");
        }

        var user = await tenancy.FindUserAsync(request!.User!, cancellationToken);
        if (!passwords.Verify(user, request.Password!))
        {
            failures.Record(address);
            return Results.Problem(
                title: "Unauthorized", detail: "The user name or the password is wrong.", statusCode: StatusCodes.Status401Unauthorized, type: Problems.UnauthorizedType);
        }

        if (request.Web == true)
        {
            var session = await sessions.StartAsync(http, user!, "password", null, cancellationToken);
            return Results.Created("/api/v1/whoami", session);
        }

        var now = clock.GetUtcNow();
        var (record, secret) = await tokens.CreateUserTokenAsync(
            user!.Id, request.Name ?? "password sign-in", now.ToUnixTimeMilliseconds(), (now + lifetime).ToUnixTimeMilliseconds(), cancellationToken);
        return Results.Created($"/api/v1/tokens/{record.Id}", TenancyViews.Token(record, user.Name, secret));
    }
}
