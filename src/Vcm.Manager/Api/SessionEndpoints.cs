using System.Globalization;
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
/// create` makes them (12 h unless asked otherwise, at most 30 d). A wrong name or password is one answer (401), counted
/// against the address like a wrong token; past the limit the address waits (429).
/// </summary>
public static class SessionEndpoints
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(12);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);

    public static void MapSession(this RouteGroupBuilder api)
    {
        api.MapPost("/session", SignInAsync).WithName("signIn").WithTags("tokens").Produces<TokenView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Signs in with a local account's name and password; the answer holds a new API token (shown once).");
    }

    private static async Task<IResult> SignInAsync(
        HttpContext http, SignInRequest? request, TenancyStore tenancy, TokenStore tokens, Passwords passwords, FailedSignIns failures, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var address = http.Connection.RemoteIpAddress;
        if (failures.RetryAfter(address) is { } wait)
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Results.Problem(
                title: "Too many failed sign-ins", detail: $"Too many failed sign-ins came from this address; try again in {Math.Ceiling(wait.TotalSeconds)} s.",
                statusCode: StatusCodes.Status429TooManyRequests, type: Problems.TooManyType);
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

        var now = clock.GetUtcNow();
        var (record, secret) = await tokens.CreateUserTokenAsync(
            user!.Id, request.Name ?? "password sign-in", now.ToUnixTimeMilliseconds(), (now + lifetime).ToUnixTimeMilliseconds(), cancellationToken);
        return Results.Created($"/api/v1/tokens/{record.Id}", TenancyViews.Token(record, user.Name, secret));
    }
}
