using System.Security.Claims;
using Microsoft.Extensions.Logging;
using Vcm.Domain.Tenancy;
using Vcm.Manager.Configuration;
using Vcm.Store.Auth;

namespace Vcm.Manager.Auth.Oidc;

/// <summary>
/// Turns a user the provider vouched for into a vcm user: found by issuer and subject, its tenant and role set from
/// the groups it has now (roles do not outlive group membership). A user in no mapped group — or in one whose tenant
/// does not exist — is refused, and every token and session it held here is ended.
/// </summary>
public sealed partial class SingleSignOn(
    OidcOptions options, SingleSignOnStore store, Authenticator authenticator, TimeProvider clock, ILogger<SingleSignOn> logger)
{
    public async Task<SingleSignOnOutcome> SignInAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var subject = principal.FindFirst("sub");
        if (subject is null)
        {
            return SingleSignOnOutcome.Refused("The identity provider named no subject for this user.");
        }

        var issuer = principal.FindFirst("iss")?.Value ?? subject.Issuer;
        var name = principal.FindFirst("preferred_username")?.Value ?? principal.FindFirst("name")?.Value ?? subject.Value;
        var groups = principal.FindAll(options.GroupClaim).Select(c => c.Value).ToList();
        var grant = GroupGrants.Choose(options.Groups, groups);
        if (grant is null)
        {
            await RevokeAsync(issuer, subject.Value, cancellationToken);
            LogRefused(logger, name, issuer, "in no mapped group");
            return SingleSignOnOutcome.Refused(
                $"{name} is in no group that gives a role at this site, so the sign-in is refused (and any session or token {name} held here has ended). Ask the site's administrators for a group.");
        }

        var signedIn = await store.SignInAsync(issuer, subject.Value, name, grant.Tenant, grant.Role, clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        if (signedIn is null)
        {
            await RevokeAsync(issuer, subject.Value, cancellationToken);
            LogRefused(logger, name, issuer, $"group {grant.Group} names tenant {grant.Tenant}, which does not exist");
            return SingleSignOnOutcome.Refused($"The group {grant.Group} gives a role in tenant {grant.Tenant}, which does not exist at this site; the sign-in is refused.");
        }

        if (signedIn.Changed)
        {
            authenticator.Forget(); // a remembered sign-in must not keep the old role
        }

        LogSignedIn(logger, signedIn.User.Name, issuer, grant.ToString());
        return new SingleSignOnOutcome(signedIn.User, null);
    }

    private async Task RevokeAsync(string issuer, string subject, CancellationToken cancellationToken)
    {
        if (await store.RevokeAsync(issuer, subject, cancellationToken) is not null)
        {
            authenticator.Forget();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "single sign-on: {User} from {Issuer} signed in by {Grant}")]
    private static partial void LogSignedIn(ILogger logger, string user, string issuer, string grant);

    [LoggerMessage(Level = LogLevel.Warning, Message = "single sign-on: refused {User} from {Issuer}: {Why}")]
    private static partial void LogRefused(ILogger logger, string user, string issuer, string why);
}
