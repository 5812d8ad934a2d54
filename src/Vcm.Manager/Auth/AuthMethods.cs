using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vcm.Api;
using Vcm.Manager.Auth.Oidc;
using Vcm.Manager.Configuration;

namespace Vcm.Manager.Auth;

/// <summary>
/// The ways of signing in this site offers: a local account's password always; the site's OpenID Connect provider
/// when one is configured (<see cref="View"/> names it, <see cref="ProviderLogoutAsync"/> answers its end-session URL).
/// </summary>
public sealed class AuthMethods(IServiceProvider services)
{
    private readonly OidcOptions? _oidc = services.GetService<OidcOptions>();

    public AuthMethodsView View => new(Password: true, Oidc: _oidc is null ? null : new OidcMethodView(_oidc.Name, OidcSetup.LoginPath));

    /// <summary>
    /// Where the browser ends its session at the provider that started it: the provider's end_session_endpoint (from its
    /// discovery document) with the id token as hint and where to come back; null when the provider names none.
    /// </summary>
    public async Task<string?> ProviderLogoutAsync(HttpContext http, string idToken, CancellationToken cancellationToken)
    {
        if (_oidc is null)
        {
            return null;
        }

        var handler = services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OidcSetup.Scheme);
        var configuration = await handler.ConfigurationManager!.GetConfigurationAsync(cancellationToken);
        if (string.IsNullOrEmpty(configuration.EndSessionEndpoint))
        {
            return null;
        }

        var back = _oidc.PostLogoutRedirect ?? $"{http.Request.Scheme}://{http.Request.Host}/";
        return QueryHelpers.AddQueryString(configuration.EndSessionEndpoint, new Dictionary<string, string?>
        {
            ["id_token_hint"] = idToken,
            ["post_logout_redirect_uri"] = back,
            ["client_id"] = _oidc.ClientId,
        });
    }
}
