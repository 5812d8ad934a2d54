using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Vcm.Api;
using Vcm.Domain.Tenancy;
using Vcm.Store.Auth;
using Vcm.Store.Records;
using Vcm.Store.Tenancy;

namespace Vcm.Manager.Auth;

/// <summary>
/// A browser's sessions. A session is a token of kind <c>session</c> (so it is listed, expires and is revoked like
/// any token) whose secret travels in the HttpOnly cookie <see cref="Cookie"/>; scripts of the portal read the
/// companion cookie <see cref="CsrfCookie"/> and send it back in the <see cref="CsrfHeader"/> header on every
/// request that changes something (a page of another site can send the session cookie's request but cannot read
/// the companion to forge the header). The companion is derived from the secret, so it needs no storage.
/// </summary>
public sealed class WebSessions(TokenStore tokens, TenancyStore tenancy, Authenticator authenticator, TimeProvider clock)
{
    public const string Cookie = "vcm_session";
    public const string CsrfCookie = "vcm_csrf";
    public const string CsrfHeader = "X-Vcm-Csrf";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    /// <summary>Starts a session for the user, sets both cookies on the answer and returns what the browser may know of it.</summary>
    public async Task<SessionView> StartAsync(HttpContext http, UserRecord user, string source, string? idToken, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var expires = now + Lifetime;
        var (_, secret) = await tokens.CreateSessionAsync(user.Id, source, idToken, now.ToUnixTimeMilliseconds(), expires.ToUnixTimeMilliseconds(), cancellationToken);
        http.Response.Cookies.Append(Cookie, secret, Options(http, httpOnly: true, expires));
        http.Response.Cookies.Append(CsrfCookie, CsrfOf(secret), Options(http, httpOnly: false, expires));
        var tenant = user.TenantId is null ? null : await tenancy.GetTenantAsync(user.TenantId, cancellationToken);
        var role = Roles.TryParse(user.Role, out var parsed) ? parsed : Role.Reader;
        return new SessionView(user.Name, tenant?.Name, Roles.Name(role), expires);
    }

    /// <summary>
    /// Ends the caller's session (or revokes the bearer token it signed in with), clears the cookies, and returns
    /// the id token of a session that an OpenID provider started (for its end-session endpoint), or null.
    /// </summary>
    public async Task<string?> EndAsync(HttpContext http, Caller caller, CancellationToken cancellationToken)
    {
        string? idToken = null;
        if (caller.TokenId is { } id && await tokens.GetAsync(id, cancellationToken) is { } record && record.Kind is TokenStore.SessionKind or "user")
        {
            idToken = record.IdToken;
            await tokens.RevokeAsync(id, cancellationToken);
            authenticator.Forget();
        }

        http.Response.Cookies.Delete(Cookie, Options(http, httpOnly: true, expires: null));
        http.Response.Cookies.Delete(CsrfCookie, Options(http, httpOnly: false, expires: null));
        return idToken;
    }

    /// <summary>The session secret a request carries in its cookie, when it has no Authorization header (a header wins).</summary>
    public static string? SecretOf(HttpRequest request) =>
        request.Headers.Authorization.Count == 0 && request.Cookies.TryGetValue(Cookie, out var secret) && secret.Length is > 0 and <= 512 ? secret : null;

    /// <summary>The companion value of a session secret: what the CSRF header must hold.</summary>
    public static string CsrfOf(string secret) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("vcm-csrf:" + secret))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// Why a request signed in by its session cookie is refused, or null: its Origin is another site's, or it changes
    /// something without the CSRF header matching the session.
    /// </summary>
    public static string? CrossSiteProblem(HttpRequest request, string secret)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin, request.Scheme + "://" + request.Host.Value, StringComparison.OrdinalIgnoreCase))
        {
            return $"A request from another site ({origin}) may not use this site's session.";
        }

        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            return null;
        }

        var sent = Encoding.UTF8.GetBytes(request.Headers[CsrfHeader].ToString());
        var expected = Encoding.UTF8.GetBytes(CsrfOf(secret));
        return CryptographicOperations.FixedTimeEquals(sent, expected)
            ? null
            : $"A change made with the session cookie needs the {CsrfHeader} header holding the {CsrfCookie} cookie's value.";
    }

    private static CookieOptions Options(HttpContext http, bool httpOnly, DateTimeOffset? expires) => new()
    {
        HttpOnly = httpOnly,
        Secure = http.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
