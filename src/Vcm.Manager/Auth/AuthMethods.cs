using Microsoft.AspNetCore.Http;
using Vcm.Api;

namespace Vcm.Manager.Auth;

/// <summary>
/// The ways of signing in this site offers: a local account's password always; an OpenID provider when one is
/// configured (not yet built: then <see cref="View"/> names it and <see cref="ProviderLogout"/> answers its end-session URL).
/// </summary>
public sealed class AuthMethods
{
    public AuthMethodsView View => new(Password: true, Oidc: null);

    /// <summary>Where the browser ends its session at the provider that started it, given the provider's id token.</summary>
    public string? ProviderLogout(HttpContext http, string idToken) => null;
}
