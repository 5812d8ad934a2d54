using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vcm.Store.Auth;

namespace Vcm.Manager.Auth.Oidc;

/// <summary>
/// The end of a sign-in at the provider, after the handler checked state, nonce, PKCE and the ID token: the user is
/// made or updated from its groups, then either a web session starts and the browser goes back to the path it came
/// from, or (`vcm login --web`) the browser is sent to the CLI's loopback address with a one-time code. A failure is a
/// page that says so; nothing is signed in.
/// </summary>
public static partial class OidcCallback
{
    public const string ReturnItem = "vcm.return";
    public const string CliItem = "vcm.cli";
    public const string ChallengeItem = "vcm.challenge";

    public static readonly TimeSpan CliCodeLifetime = TimeSpan.FromMinutes(2);

    /// <summary>How the audit trail names a single sign-on's end (the callback is the handler's, not a mapped route).</summary>
    public const string AuditAction = "GET " + OidcSetup.CallbackPath;

    public static async Task CompleteAsync(TicketReceivedContext context)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        var services = http.RequestServices;
        var audit = services.GetRequiredService<AuditTrail>();
        var outcome = await services.GetRequiredService<SingleSignOn>().SignInAsync(context.Principal!, http.RequestAborted);
        if (outcome.User is not { } user)
        {
            await OidcPages.RefusedAsync(http, StatusCodes.Status403Forbidden, outcome.Refusal!);
            await audit.RecordAsync(http, null, AuditAction, StatusCodes.Status403Forbidden, "single sign-on refused: " + outcome.Refusal);
            return;
        }

        var items = context.Properties!.Items;
        var cliSignIn = items.TryGetValue(CliItem, out var cli) && cli is not null;
        var caller = new Caller
        {
            Kind = CallerKind.User, Id = user.Id, Name = user.Name, TenantId = user.TenantId,
            Role = Vcm.Domain.Tenancy.Roles.TryParse(user.Role, out var role) ? role : Vcm.Domain.Tenancy.Role.Reader,
        };
        await audit.RecordAsync(http, caller, AuditAction, StatusCodes.Status302Found,
            $"signed in by single sign-on as {user.Role}{(cliSignIn ? " (vcm login --web)" : " (browser)")}");
        if (cliSignIn && items.TryGetValue(ChallengeItem, out var challenge) && challenge is not null)
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var code = await services.GetRequiredService<SingleSignOnStore>().AddCliCodeAsync(
                user.Id, challenge, now.ToUnixTimeMilliseconds(), (now + CliCodeLifetime).ToUnixTimeMilliseconds(), http.RequestAborted);
            http.Response.Redirect(cli + "?code=" + Uri.EscapeDataString(code));
            return;
        }

        await services.GetRequiredService<WebSessions>().StartAsync(http, user, "single sign-on", context.Properties.GetTokenValue("id_token"), http.RequestAborted);
        http.Response.Redirect(items.TryGetValue(ReturnItem, out var back) && LoopbackRedirect.IsLocalPath(back) ? back! : "/");
    }

    public static async Task FailedAsync(RemoteFailureContext context)
    {
        context.HandleResponse();
        var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcCallback));
        var failure = context.Failure?.Message ?? "unknown";
        LogFailed(logger, failure);
        await context.HttpContext.RequestServices.GetRequiredService<AuditTrail>().RecordAsync(
            context.HttpContext, null, AuditAction, StatusCodes.Status400BadRequest, "single sign-on callback refused: " + failure[..Math.Min(failure.Length, 300)]);
        await OidcPages.RefusedAsync(context.HttpContext, StatusCodes.Status400BadRequest,
            "The answer from the identity provider could not be checked (a wrong or replayed state, a nonce or token that does not match, or an error at the provider), so nobody was signed in. Start again from the sign-in page.");
    }

    public static async Task DeniedAsync(AccessDeniedContext context)
    {
        context.HandleResponse();
        await OidcPages.RefusedAsync(context.HttpContext, StatusCodes.Status403Forbidden, "The identity provider did not let you sign in to vcm (access was denied there).");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "single sign-on: a callback was refused: {Failure}")]
    private static partial void LogFailed(ILogger logger, string failure);
}
