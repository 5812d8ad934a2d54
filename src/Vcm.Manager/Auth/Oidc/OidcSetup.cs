using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Vcm.Manager.Configuration;
using Vcm.Store.Auth;

namespace Vcm.Manager.Auth.Oidc;

/// <summary>
/// The manager as a confidential OpenID Connect client (ASP.NET Core's handler): authorization code + PKCE, the
/// response in the query (so the correlation and nonce cookies can be SameSite=Lax), the nonce and state checked by
/// the handler, the ID token's issuer, audience (our client id) and signature against the provider's discovery
/// document. The state and the cookies are protected by Data Protection keys kept in the site's key folder, so any
/// manager of the site completes a sign-in another began.
/// </summary>
public static class OidcSetup
{
    public const string Scheme = "oidc";
    public const string SignInScheme = "oidc-unused";
    public const string LoginPath = "/auth/oidc/login";
    public const string CallbackPath = "/auth/oidc/callback";

    public static void AddSingleSignOn(this IServiceCollection services, ManagerOptions options)
    {
        services.AddSingleton<SingleSignOnStore>();
        if (options.Oidc is not { } oidc)
        {
            return;
        }

        services.AddSingleton(oidc);
        services.AddSingleton<SingleSignOn>();
        services.AddDataProtection()
            .SetApplicationName("vcm")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.EffectiveKeyDirectory, "data-protection")));
        // The handler wants a scheme to sign in to; the callback ends every sign-in itself (a vcm session or a CLI code), so
        // this cookie scheme never writes a cookie. Two schemes also keep either from becoming the default that would
        // authenticate every request.
        services.AddAuthentication().AddCookie(SignInScheme).AddOpenIdConnect(Scheme, o => Configure(o, oidc));
    }

    private static void Configure(OpenIdConnectOptions o, OidcOptions oidc)
    {
        o.Authority = oidc.Issuer;
        o.RequireHttpsMetadata = !Vcm.Drivers.Tls.Loopback.Is(new Uri(oidc.Issuer));
        o.ClientId = oidc.ClientId;
        o.ClientSecret = oidc.ClientSecret;
        o.ResponseType = OpenIdConnectResponseType.Code;
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.UsePkce = true;
        o.PushedAuthorizationBehavior = PushedAuthorizationBehavior.Disable;
        o.CallbackPath = CallbackPath;
        o.SignInScheme = SignInScheme;
        o.Scope.Clear();
        foreach (var scope in oidc.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            o.Scope.Add(scope);
        }

        o.MapInboundClaims = false;
        o.GetClaimsFromUserInfoEndpoint = true;
        o.ClaimActions.MapJsonKey(oidc.GroupClaim, oidc.GroupClaim);
        o.SaveTokens = true;
        o.DisableTelemetry = true;
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.Events = new OpenIdConnectEvents
        {
            OnTicketReceived = OidcCallback.CompleteAsync,
            OnRemoteFailure = OidcCallback.FailedAsync,
            OnAccessDenied = OidcCallback.DeniedAsync,
        };
    }
}
