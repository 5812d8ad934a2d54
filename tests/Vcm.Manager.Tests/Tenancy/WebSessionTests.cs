using System.Net;
using System.Net.Http.Json;
using Vcm.Api;
using Vcm.Manager.Auth;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Tenancy;

/// <summary>
/// A browser's session: signing in with web: true puts the secret only in an HttpOnly, SameSite=Strict cookie (Secure
/// on HTTPS), the cookie signs in on every user route, a change needs the CSRF header and no other site's page may use
/// it, and signing out ends it.
/// </summary>
public sealed class WebSessionTests : IAsyncLifetime
{
    private const string Password = "correct horse battery staple";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private TenancyWorld _world = null!;

    public async Task InitializeAsync()
    {
        _world = await TenancyWorld.StartAsync();
        await _world.Site.Client.SetPasswordAsync("a-member", Password, Ct);
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task SigningInOnTheWeb_SetsAnHttpOnlyStrictCookie_AndAnswersNoSecret()
    {
        using var response = await SignInAsync(_world.Site.Anonymous);
        var body = await response.Content.ReadAsStringAsync(Ct);
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        var session = cookies.Single(c => c.StartsWith(WebSessions.Cookie + "=", StringComparison.Ordinal));
        var csrf = cookies.Single(c => c.StartsWith(WebSessions.CsrfCookie + "=", StringComparison.Ordinal));
        var view = System.Text.Json.JsonSerializer.Deserialize<SessionView>(body, ApiJson.Options)!;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(("a-member", "a", "member"), (view.User, view.Tenant, view.Role));
        Assert.DoesNotContain(ValueOf(session), body, StringComparison.Ordinal);
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", session, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", session, StringComparison.OrdinalIgnoreCase); // plain HTTP here
        Assert.DoesNotContain("httponly", csrf, StringComparison.OrdinalIgnoreCase); // the portal's scripts read it
        Assert.Equal(WebSessions.CsrfOf(ValueOf(session)), ValueOf(csrf));
    }

    [Fact]
    public async Task OverHttps_TheCookiesAreSecure()
    {
        using var https = _world.Site.NewHttpClient();
        https.BaseAddress = new Uri("https://" + https.BaseAddress!.Authority + "/");
        using var response = await SignInAsync(https);

        Assert.All(response.Headers.GetValues("Set-Cookie"), c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task TheCookie_SignsIn_AndAChangeNeedsTheCsrfHeader_FromThisSiteOnly()
    {
        var (session, csrf) = await SessionAsync();
        using var http = _world.Site.NewHttpClient();
        var origin = http.BaseAddress!.GetLeftPart(UriPartial.Authority);

        using var whoami = await SendAsync(http, HttpMethod.Get, "/api/v1/whoami", session, csrf: null, origin: null);
        using var noHeader = await SendAsync(http, HttpMethod.Post, "/api/v1/keys", session, csrf: null, origin: origin);
        using var wrongHeader = await SendAsync(http, HttpMethod.Post, "/api/v1/keys", session, csrf: "forged", origin: origin);
        using var otherSite = await SendAsync(http, HttpMethod.Post, "/api/v1/keys", session, csrf, origin: "https://evil.example");
        using var otherSiteRead = await SendAsync(http, HttpMethod.Get, "/api/v1/whoami", session, csrf: null, origin: "https://evil.example");
        var keysBefore = (await _world["a-member"].ListKeysAsync(Ct)).Count;
        using var allowed = await SendAsync(http, HttpMethod.Post, "/api/v1/keys", session, csrf, origin: origin);

        Assert.Equal("a-member", (await whoami.Content.ReadFromJsonAsync<WhoAmIView>(ApiJson.Options, Ct))!.User);
        Assert.Equal(
            [HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden],
            new[] { noHeader.StatusCode, wrongHeader.StatusCode, otherSite.StatusCode, otherSiteRead.StatusCode });
        Assert.Contains(WebSessions.CsrfHeader, await noHeader.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("another site", await otherSite.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        Assert.Equal(keysBefore + 1, (await _world["a-member"].ListKeysAsync(Ct)).Count);
    }

    [Fact]
    public async Task SigningOut_EndsTheSession_AndClearsTheCookies()
    {
        var (session, csrf) = await SessionAsync();
        using var http = _world.Site.NewHttpClient();

        using var signOut = await SendAsync(http, HttpMethod.Delete, "/api/v1/session", session, csrf, origin: null);
        var view = await signOut.Content.ReadFromJsonAsync<SignOutView>(ApiJson.Options, Ct);
        using var after = await SendAsync(http, HttpMethod.Get, "/api/v1/whoami", session, csrf: null, origin: null);

        Assert.Equal(HttpStatusCode.OK, signOut.StatusCode);
        Assert.Null(view!.Logout); // a password session: no identity provider to sign out of
        Assert.Contains(signOut.Headers.GetValues("Set-Cookie"), c => c.StartsWith(WebSessions.Cookie + "=;", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("session has ended", await after.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnApiTokenInTheCookie_SignsNobodyIn()
    {
        using var http = _world.Site.NewHttpClient();
        using var response = await SendAsync(http, HttpMethod.Get, "/api/v1/whoami", _world.Tokens["a-member"], csrf: null, origin: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task TheSignInPage_LearnsThePasswordWay_WithoutAToken()
    {
        var methods = await _world.Site.Anonymous.GetFromJsonAsync<AuthMethodsView>("/api/v1/auth", ApiJson.Options, Ct);

        Assert.True(methods!.Password);
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient http) =>
        await http.PostAsJsonAsync("/api/v1/session", new SignInRequest("a-member", Password, null, null, Web: true), ApiJson.Options, Ct);

    private async Task<(string Session, string Csrf)> SessionAsync()
    {
        using var response = await SignInAsync(_world.Site.Anonymous);
        response.EnsureSuccessStatusCode();
        var session = ValueOf(response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(WebSessions.Cookie + "=", StringComparison.Ordinal)));
        return (session, WebSessions.CsrfOf(session));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string session, string? csrf, string? origin)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", $"{WebSessions.Cookie}={session}");
        if (csrf is not null)
        {
            request.Headers.Add(WebSessions.CsrfHeader, csrf);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (method == HttpMethod.Post)
        {
            request.Content = JsonContent.Create(new KeyAddRequest("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE8gdBrBzyHUTyzhM+1M6EAnIXkfMCZmK96KSvlsXk3I web@browser", null), options: ApiJson.Options);
        }

        return await http.SendAsync(request, Ct);
    }

    private static string ValueOf(string setCookie) => setCookie[(setCookie.IndexOf('=', StringComparison.Ordinal) + 1)..setCookie.IndexOf(';', StringComparison.Ordinal)];
}
