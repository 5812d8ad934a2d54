using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Vcm.Api;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Tenancy;

/// <summary>
/// Single sign-on through a real OpenID Connect provider (tests/oidc: panva's oidc-provider) on a manager served by
/// Kestrel: the browser (an HttpClient with cookies) follows the provider's own login and consent pages. The groups
/// decide tenant and role at every sign-in; a user in no mapped group is refused and loses what it held; a callback
/// with a wrong state, a tampered nonce or a code issued to another client signs nobody in.
/// </summary>
public sealed class SingleSignOnTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private TestSite _site = null!;
    private Uri _manager = null!;

    public async Task InitializeAsync()
    {
        _site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 1, kestrel: true, oidc: await OidcProvider.ManagerOptionsAsync());
        _manager = _site.NewHttpClient().BaseAddress!;
        await _site.Client.CreateTenantAsync(new TenantCreateRequest("tenant-a", null), Ct);
        await _site.Client.CreateTenantAsync(new TenantCreateRequest("tenant-b", null), Ct);
    }

    public async Task DisposeAsync() => await _site.DisposeAsync();

    private static string NewUser() => "u" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));

    private static string NewVerifier() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(40)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private const string CliUrl = "http://127.0.0.1:50999/cb";

    /// <summary>GET /auth/oidc/login?QUERY at the manager: the provider's authorization URL it redirects to.</summary>
    private async Task<Uri> StartAsync(OidcBrowser browser, string query)
    {
        using var response = await browser.GetAsync(new Uri(_manager, "/auth/oidc/login?" + query));
        return await OidcBrowser.RedirectOfAsync(response);
    }

    /// <summary>A CLI sign-in through the provider: the one-time code the manager sends to the CLI's address, and its verifier.</summary>
    private async Task<(HttpResponseMessage Callback, string Verifier)> CliCallbackAsync(string user, Func<Uri, Uri>? tamperAuthorize = null, Func<Uri, Uri>? tamperCallback = null)
    {
        using var browser = new OidcBrowser();
        var verifier = NewVerifier();
        var authorize = await StartAsync(browser, $"cli={Uri.EscapeDataString(CliUrl)}&challenge={Vcm.Manager.Api.OidcEndpoints.ChallengeOf(verifier)}");
        var callback = await browser.SignInAtProviderAsync(tamperAuthorize?.Invoke(authorize) ?? authorize, user, user + "-pw");
        Assert.Equal(_manager.Authority, callback.Authority);
        return (await browser.GetAsync(tamperCallback?.Invoke(callback) ?? callback), verifier);
    }

    private async Task<string> CliCodeAsync(string user)
    {
        var (callback, verifier) = await CliCallbackAsync(user);
        using (callback)
        {
            var back = await OidcBrowser.RedirectOfAsync(callback);
            Assert.StartsWith(CliUrl + "?code=", back.ToString(), StringComparison.Ordinal);
            return Uri.UnescapeDataString(back.Query["?code=".Length..]) + " " + verifier;
        }
    }

    private async Task<TokenView> CliTokenAsync(string user)
    {
        var parts = (await CliCodeAsync(user)).Split(' ');
        return await new VcmClient(_site.Anonymous).SignInWithCodeAsync(new CliSignInRequest(parts[0], parts[1], null), Ct);
    }

    private static Uri WithQuery(Uri url, string name, Func<string, string> change)
    {
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        query[name] = change(query[name] ?? "");
        return new UriBuilder(url) { Query = query.ToString() }.Uri;
    }

    [Fact]
    public async Task Alice_SignsInThroughTheProvider_AsTenantAdminOfTenantA_FoundByIssuerAndSubject()
    {
        var token = await CliTokenAsync("alice");
        using var alice = _site.ClientWith(token.Secret!);
        var me = await alice.WhoAmIAsync(Ct);
        var again = await CliTokenAsync("alice");
        var users = await _site.Client.ListUsersAsync(null, Ct);

        Assert.Equal(("alice", "tenant-a", "tenant-admin"), (me.User, me.Tenant, me.Role));
        Assert.Equal("vcm login --web", token.Name);
        Assert.Equal(TimeSpan.FromDays(30), token.ExpiresAt!.Value - token.CreatedAt);
        Assert.Equal("alice", again.User);
        Assert.Single(users, u => u.Name.StartsWith("alice", StringComparison.Ordinal));
        var audited = (await _site.Client.ListAuditAsync(null, null, null, Ct)).Where(a => a.Action == "GET /auth/oidc/callback").ToList();
        Assert.Equal(2, audited.Count);
        Assert.All(audited, a => Assert.Equal(("alice", "user", "tenant-a", 302, "signed in by single sign-on as tenant-admin (vcm login --web)"), (a.Actor, a.ActorKind, a.Tenant, a.Status, a.Detail)));
    }

    /// <summary>A browser's sign-in from GET /auth/oidc/login?return=PATH: the manager's answer to the provider's callback.</summary>
    private async Task<HttpResponseMessage> BrowserSignInAsync(OidcBrowser browser, string user, string path)
    {
        var authorize = await StartAsync(browser, "return=" + Uri.EscapeDataString(path));
        var callback = await browser.SignInAtProviderAsync(authorize, user, user + "-pw");
        return await browser.GetAsync(callback);
    }

    private async Task<HttpResponseMessage> WithSessionAsync(OidcBrowser browser, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, new Uri(_manager, path));
        if (browser.Cookies.GetCookies(_manager)[Auth.WebSessions.CsrfCookie] is { } csrf)
        {
            request.Headers.Add(Auth.WebSessions.CsrfHeader, csrf.Value);
        }

        request.Headers.Add("Origin", _manager.GetLeftPart(UriPartial.Authority));
        return await browser.Http.SendAsync(request);
    }

    [Fact]
    public async Task Alice_SignsInWithHerBrowser_ComesBackToHerPath_WithAWebSession()
    {
        using var browser = new OidcBrowser();
        using var callback = await BrowserSignInAsync(browser, "alice", "/clusters/demo?tab=events");
        var session = browser.Cookies.GetCookies(_manager)[Auth.WebSessions.Cookie];
        using var whoami = await WithSessionAsync(browser, HttpMethod.Get, "/api/v1/whoami");
        var me = System.Text.Json.JsonSerializer.Deserialize<WhoAmIView>(await whoami.Content.ReadAsStringAsync(), ApiJson.Options)!;

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/clusters/demo?tab=events", callback.Headers.Location!.ToString());
        Assert.NotNull(session);
        Assert.True(session.HttpOnly);
        Assert.Equal(("alice", "tenant-a", "tenant-admin"), (me.User, me.Tenant, me.Role));
    }

    [Fact]
    public async Task TheSiteTellsItsProvider_AndSignOut_AnswersTheProvidersEndSessionUrl_AndEndsTheSession()
    {
        using var browser = new OidcBrowser();
        var methods = await _site.Anonymous.GetFromJsonAsync<AuthMethodsView>("/api/v1/auth", ApiJson.Options, Ct);
        (await BrowserSignInAsync(browser, "bob", "/")).Dispose();
        var secret = browser.Cookies.GetCookies(_manager)[Auth.WebSessions.Cookie]!.Value;
        using var before = await WithCookieAsync(secret);

        using var signOut = await WithSessionAsync(browser, HttpMethod.Delete, "/api/v1/session");
        var logout = new Uri(System.Text.Json.JsonSerializer.Deserialize<SignOutView>(await signOut.Content.ReadAsStringAsync(), ApiJson.Options)!.Logout!);
        var query = System.Web.HttpUtility.ParseQueryString(logout.Query);
        var backFromProvider = await browser.SignOutAtProviderAsync(logout);
        using var afterwards = await WithCookieAsync(secret); // the old cookie, sent again

        Assert.Equal(new OidcMethodView("Test provider", "/auth/oidc/login"), methods!.Oidc);
        Assert.Equal(HttpStatusCode.OK, signOut.StatusCode);
        Assert.Equal(new Uri(await OidcProvider.IssuerAsync(), "/session/end").ToString(), logout.GetLeftPart(UriPartial.Path));
        Assert.Equal(3, query["id_token_hint"]!.Split('.').Length); // a JWT
        Assert.Equal(_manager.GetLeftPart(UriPartial.Authority) + "/", query["post_logout_redirect_uri"]);
        Assert.Equal(_manager.GetLeftPart(UriPartial.Authority) + "/", backFromProvider.ToString()); // the provider took the hint and ended its session
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterwards.StatusCode);
    }

    private async Task<HttpResponseMessage> WithCookieAsync(string session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/whoami");
        request.Headers.Add("Cookie", $"{Auth.WebSessions.Cookie}={session}");
        return await _site.Anonymous.SendAsync(request, Ct);
    }

    [Fact]
    public async Task AProviderUser_DoesNotBecomeTheLocalAccountOfTheSameName()
    {
        await _site.Client.CreateUserAsync(new UserCreateRequest("bob", "tenant-a", "reader", null), Ct);

        var token = await CliTokenAsync("bob");
        using var bob = _site.ClientWith(token.Secret!);
        var me = await bob.WhoAmIAsync(Ct);
        var local = await _site.Client.GetUserAsync("bob", Ct);

        Assert.Equal(("bob-2", "tenant-b", "member"), (me.User, me.Tenant, me.Role));
        Assert.Equal(("tenant-a", "reader"), (local.Tenant, local.Role));
    }

    [Fact]
    public async Task MovingAUserToAnotherGroupAtTheProvider_ChangesItsRoleAtTheNextSignIn()
    {
        var name = NewUser();
        await OidcProvider.SetUserAsync(name, "vcm-tenant-a-members");
        var first = await CliTokenAsync(name);
        using var before = _site.ClientWith(first.Secret!);
        var asMember = await before.WhoAmIAsync(Ct);

        await OidcProvider.SetUserAsync(name, "vcm-tenant-b-members", "vcm-tenant-a-admins");
        var second = await CliTokenAsync(name);
        using var after = _site.ClientWith(second.Secret!);
        var asAdmin = await after.WhoAmIAsync(Ct);

        Assert.Equal(("tenant-a", "member"), (asMember.Tenant, asMember.Role));
        Assert.Equal(("tenant-a", "tenant-admin"), (asAdmin.Tenant, asAdmin.Role));
    }

    [Fact]
    public async Task Eve_InNoMappedGroup_IsRefusedWithAPage_AndNoUserIsMade()
    {
        var (callback, _) = await CliCallbackAsync("eve");
        using (callback)
        {
            var page = await callback.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.Forbidden, callback.StatusCode);
            Assert.StartsWith("text/html", callback.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
            Assert.Contains("eve is in no group that gives a role at this site", page, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(await _site.Client.ListUsersAsync(null, Ct), u => u.Name == "eve");
        var audited = Assert.Single(await _site.Client.ListAuditAsync(null, null, null, Ct), a => a.Action == "GET /auth/oidc/callback");
        Assert.Equal(("-", 403), (audited.Actor, audited.Status));
        Assert.StartsWith("single sign-on refused: eve is in no group", audited.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUserRemovedFromItsGroups_IsRefusedAtTheNextSignIn_AndLosesEveryTokenAndSessionItHeld()
    {
        var name = NewUser();
        await OidcProvider.SetUserAsync(name, "vcm-tenant-b-members");
        var token = await CliTokenAsync(name);
        using var held = _site.ClientWith(token.Secret!);
        await held.WhoAmIAsync(Ct);
        using var browser = new OidcBrowser();
        (await BrowserSignInAsync(browser, name, "/")).Dispose();
        var session = browser.Cookies.GetCookies(_manager)[Auth.WebSessions.Cookie]!.Value;
        using var sessionBefore = await WithCookieAsync(session);

        await OidcProvider.SetUserAsync(name, "staff");
        var (callback, _) = await CliCallbackAsync(name);
        using (callback)
        {
            Assert.Equal(HttpStatusCode.Forbidden, callback.StatusCode);
        }

        var refused = await Assert.ThrowsAsync<VcmApiException>(() => held.WhoAmIAsync(Ct));
        using var sessionAfter = await WithCookieAsync(session);
        Assert.Equal(401, refused.Status);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Unauthorized), (sessionBefore.StatusCode, sessionAfter.StatusCode));
    }

    [Fact]
    public async Task ACallbackWithAWrongState_IsRefused_AndSignsNobodyIn()
    {
        var (callback, _) = await CliCallbackAsync("alice", tamperCallback: url => WithQuery(url, "state", s => s[..^4] + "AAAA"));
        using (callback)
        {
            Assert.Equal(HttpStatusCode.BadRequest, callback.StatusCode);
            Assert.Contains("nobody was signed in", await callback.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(0, await CliCodeCountAsync());
        Assert.DoesNotContain(await _site.Client.ListUsersAsync(null, Ct), u => u.Name == "alice");
    }

    [Fact]
    public async Task ATamperedNonce_IsRefused_AndSignsNobodyIn()
    {
        var (callback, _) = await CliCallbackAsync("alice", tamperAuthorize: url => WithQuery(url, "nonce", n => n + "x"));
        using (callback)
        {
            Assert.Equal(HttpStatusCode.BadRequest, callback.StatusCode);
        }

        Assert.Equal(0, await CliCodeCountAsync());
        Assert.Contains(await _site.Client.ListAuditAsync(null, null, null, Ct), a => a.Action == "GET /auth/oidc/callback" && a.Status == 400 && a.Detail!.Contains("nonce", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(_site.Logs.Entries, l => l.Message.Contains("callback was refused", StringComparison.Ordinal) && l.Message.Contains("nonce", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ACodeIssuedToAnotherClient_IsRefused_AndSignsNobodyIn()
    {
        var (callback, _) = await CliCallbackAsync("alice", tamperAuthorize: url => WithQuery(url, "client_id", _ => OidcProvider.OtherClientId));
        using (callback)
        {
            Assert.Equal(HttpStatusCode.BadRequest, callback.StatusCode);
        }

        Assert.Equal(0, await CliCodeCountAsync());
        Assert.DoesNotContain(await _site.Client.ListUsersAsync(null, Ct), u => u.Name == "alice");
    }

    [Fact]
    public async Task ACliCode_IsTakenOnce_AndOnlyWithItsVerifier()
    {
        var parts = (await CliCodeAsync("pat")).Split(' ');
        var anonymous = new VcmClient(_site.Anonymous);

        var wrongVerifier = await Assert.ThrowsAsync<VcmApiException>(() => anonymous.SignInWithCodeAsync(new CliSignInRequest(parts[0], NewVerifier(), null), Ct));
        var afterAWrongTry = await Assert.ThrowsAsync<VcmApiException>(() => anonymous.SignInWithCodeAsync(new CliSignInRequest(parts[0], parts[1], null), Ct));
        var other = (await CliCodeAsync("pat")).Split(' ');
        var token = await anonymous.SignInWithCodeAsync(new CliSignInRequest(other[0], other[1], "laptop"), Ct);
        var reused = await Assert.ThrowsAsync<VcmApiException>(() => anonymous.SignInWithCodeAsync(new CliSignInRequest(other[0], other[1], null), Ct));
        using var pat = _site.ClientWith(token.Secret!);

        Assert.All(new[] { wrongVerifier, afterAWrongTry, reused }, e => Assert.Equal(401, e.Status));
        Assert.Equal(("pat", "provider"), ((await pat.WhoAmIAsync(Ct)).User, (await pat.WhoAmIAsync(Ct)).Role));
        Assert.Equal("laptop", token.Name);
    }

    [Fact]
    public async Task BadSignInRequests_ListEveryProblem_AndStartNothing()
    {
        using var browser = new OidcBrowser();
        using var login = await browser.GetAsync(new Uri(_manager, "/auth/oidc/login?return=%2F%2Fevil.example&cli=https%3A%2F%2Fevil.example%2Fx&challenge=short"));
        var loginProblem = await ProblemAsync(login);
        var exchange = await Assert.ThrowsAsync<VcmApiException>(() => new VcmClient(_site.Anonymous).SignInWithCodeAsync(new CliSignInRequest(null, "short", null), Ct));

        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Equal(["challenge", "cli", "return"], loginProblem.Errors!.Select(e => e.Field).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(400, exchange.Status);
        Assert.Equal(["code", "verifier"], exchange.Problem.Errors!.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Null(browser.Cookies.GetCookies(_manager).FirstOrDefault(c => c.Name.Contains("Correlation", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task WithoutAProvider_TheLoginRouteIsNotFound()
    {
        await using var plain = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 1, kestrel: true);
        using var http = plain.NewHttpClient();
        using var response = await http.GetAsync("/auth/oidc/login?return=/");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no single sign-on", (await ProblemAsync(response)).Detail, StringComparison.Ordinal);
    }

    private static async Task<ProblemView> ProblemAsync(HttpResponseMessage response) =>
        System.Text.Json.JsonSerializer.Deserialize<ProblemView>(await response.Content.ReadAsStringAsync(), ApiJson.Options)!;

    private async Task<long> CliCodeCountAsync()
    {
        await using var db = _site.Database.CreateContext();
        return await db.CliCodes.LongCountAsync(Ct);
    }
}
