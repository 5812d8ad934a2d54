using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Vcm.Api;
using Vcm.Domain.Common;
using Vcm.Manager.Auth;
using Vcm.Manager.Auth.Oidc;
using Vcm.Manager.Http;
using Vcm.Store.Auth;
using Vcm.Store.Tenancy;

namespace Vcm.Manager.Api;

/// <summary>
/// GET /auth/oidc/login?return=PATH starts a sign-in at the site's identity provider (the browser comes back to PATH,
/// a path on this manager, with a web session); with cli=LOOPBACK-URL and challenge=S256 it is `vcm login --web`'s,
/// and ends at the CLI's address with a one-time code. POST /api/v1/session/cli trades that code and its verifier
/// for an API token (30 days, like `vcm login --user`).
/// </summary>
public static class OidcEndpoints
{
    public static readonly TimeSpan CliTokenLifetime = TimeSpan.FromDays(30);

    public static void MapSingleSignOn(this WebApplication app)
    {
        app.MapGet(OidcSetup.LoginPath, Login).WithName("startSingleSignOn").WithTags("sessions")
            .Produces(StatusCodes.Status302Found).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Starts a sign-in at the site's OpenID Connect provider; the browser comes back to `return` (a path here) signed in, or for `vcm login --web` to the CLI's loopback `cli` URL with a one-time code bound to `challenge`.");
        app.MapPost("/api/v1/session/cli", SignInWithCodeAsync).WithName("signInWithCode").WithTags("tokens").Produces<TokenView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Trades the one-time code a single sign-on sent to `vcm login --web`, with its verifier, for a new API token (shown once).");
    }

    private static IResult Login(HttpContext http, string? @return, string? cli, string? challenge)
    {
        if (http.RequestServices.GetService<Configuration.OidcOptions>() is null)
        {
            return Results.Problem(title: "Not found", detail: "This site has no single sign-on; sign in with a local account or an API token.",
                statusCode: StatusCodes.Status404NotFound, type: Problems.NotFoundType);
        }

        var problems = new List<Problem>();
        if (@return is not null && !LoopbackRedirect.IsLocalPath(@return))
        {
            problems.Add(new Problem("return", "must be a path on this manager, like /clusters"));
        }

        if (cli is not null && !LoopbackRedirect.IsValid(cli))
        {
            problems.Add(new Problem("cli", "must be an http:// URL on a loopback address with a port, like http://127.0.0.1:53117/"));
        }

        if ((cli is not null || challenge is not null) && !LoopbackRedirect.IsChallenge(challenge))
        {
            problems.Add(new Problem("challenge", "must be the base64url SHA-256 of the CLI's verifier (43 characters), given with cli"));
        }

        if (cli is not null && @return is not null)
        {
            problems.Add(new Problem("return", "is for a browser sign-in; a CLI sign-in (cli) ends at the CLI"));
        }

        if (problems.Count > 0)
        {
            return Problems.Invalid(problems, "The sign-in request is not valid");
        }

        var properties = new AuthenticationProperties();
        if (cli is not null)
        {
            properties.Items[OidcCallback.CliItem] = cli;
            properties.Items[OidcCallback.ChallengeItem] = challenge;
        }
        else
        {
            properties.Items[OidcCallback.ReturnItem] = @return ?? "/";
        }

        return Results.Challenge(properties, [OidcSetup.Scheme]);
    }

    private static async Task<IResult> SignInWithCodeAsync(
        HttpContext http, CliSignInRequest? request, SingleSignOnStore store, TenancyStore tenancy, TokenStore tokens, FailedSignIns failures, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var address = http.Connection.RemoteIpAddress;
        if (failures.Refusal(http) is { } tooMany)
        {
            return tooMany;
        }

        var problems = new List<Problem>();
        if (string.IsNullOrEmpty(request?.Code) || request.Code.Length > 256)
        {
            problems.Add(new Problem("code", "is required: the one-time code the manager sent to the CLI's loopback address"));
        }

        if (request?.Verifier is not { Length: >= 43 and <= 128 })
        {
            problems.Add(new Problem("verifier", "is required: 43 to 128 characters, whose SHA-256 the sign-in was bound to"));
        }

        TokenEndpoints.CheckName(request?.Name, problems);
        if (problems.Count > 0)
        {
            return Problems.Invalid(problems, "The sign-in is not valid");
        }

        var now = clock.GetUtcNow();
        var code = await store.TakeCliCodeAsync(request!.Code!, now.ToUnixTimeMilliseconds(), cancellationToken);
        var user = code is not null && ChallengeOf(request.Verifier!) == code.Challenge ? await tenancy.GetUserAsync(code.UserId, cancellationToken) : null;
        if (user is null)
        {
            failures.Record(address);
            return Results.Problem(
                title: "Unauthorized", detail: "The code is not valid (unknown, used or expired), or the verifier is not the one it was made for.",
                statusCode: StatusCodes.Status401Unauthorized, type: Problems.UnauthorizedType);
        }

        var (record, secret) = await tokens.CreateUserTokenAsync(
            user.Id, request.Name ?? "vcm login --web", now.ToUnixTimeMilliseconds(), (now + CliTokenLifetime).ToUnixTimeMilliseconds(), cancellationToken);
        return Results.Created($"/api/v1/tokens/{record.Id}", TenancyViews.Token(record, user.Name, secret));
    }

    /// <summary>base64url(SHA-256(verifier)) without padding, as PKCE's S256.</summary>
    public static string ChallengeOf(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
