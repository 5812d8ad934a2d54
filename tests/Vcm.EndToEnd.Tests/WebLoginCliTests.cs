using System.Net;
using Vcm.Api;
using Vcm.Testing;
using Xunit;

namespace Vcm.EndToEnd.Tests;

/// <summary>
/// `vcm login --web` against a `vcm manager` configured with the test OpenID Connect provider (tests/oidc): the CLI
/// prints the sign-in URL and listens on loopback; an HttpClient plays the browser through the provider's real login
/// and consent pages; the manager sends it to the CLI's address with a one-time code, which the CLI trades for a token
/// and keeps in its context.
/// </summary>
public sealed class WebLoginCliTests : IAsyncLifetime
{
    private readonly TempDirectory _home = new("vcm-e2e-weblogin");
    private VcmProcess _manager = null!;
    private string _server = "";

    private string Data => Path.Combine(_home.Path, "manager");

    public async Task InitializeAsync()
    {
        var issuer = (await OidcProvider.IssuerAsync()).ToString().TrimEnd('/');
        var secretFile = Path.Combine(_home.Path, "oidc-secret");
        await File.WriteAllTextAsync(secretFile, OidcProvider.ClientSecret + "\n");
        _server = $"http://127.0.0.1:{FreePort.Next()}";
        _manager = VcmProcess.Start(
            new Dictionary<string, string?>(), "manager", "--data", Data, "--listen", _server, "--site", "sso",
            "--oidc-issuer", issuer, "--oidc-client-id", OidcProvider.ClientId, "--oidc-client-secret-file", secretFile,
            "--oidc-scopes", "openid profile groups", "--oidc-group", "vcm-tenant-a-admins=tenant-a:tenant-admin");
        await _manager.WaitForLineAsync("API at");
        using var admin = VcmClient.Create(_server, (await File.ReadAllTextAsync(Path.Combine(Data, "admin.token"))).Trim());
        await admin.CreateTenantAsync(new TenantCreateRequest("tenant-a", null), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _manager.DisposeAsync();
        _home.Dispose();
    }

    [Fact]
    public async Task LoginWeb_SignsTheCliInThroughTheProvider_AndKeepsTheTokenInItsContext()
    {
        var cli = new UserCli(_home.Path);
        await using var login = VcmProcess.Start(cli.Environment, "login", _server, "--web", "--context", "sso");
        var line = await login.WaitForLineAsync("Sign in with your browser at: ");
        var url = new Uri(line[(line.IndexOf("http", StringComparison.Ordinal))..].Trim());

        using var browser = new OidcBrowser();
        using var start = await browser.GetAsync(url);
        var callback = await browser.SignInAtProviderAsync(await OidcBrowser.RedirectOfAsync(start), "alice", "alice-pw");
        using var done = await browser.GetAsync(callback);
        var toCli = await OidcBrowser.RedirectOfAsync(done);
        using var landed = await browser.GetAsync(toCli);
        var exit = await login.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var me = await cli.JsonAsync<WhoAmIView>("whoami");

        Assert.Equal("127.0.0.1", toCli.Host);
        Assert.StartsWith("/vcm-login/", toCli.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
        Assert.Contains("Signed in", await landed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(exit == 0, login.Log);
        Assert.Contains("signed in to " + _server, login.Log, StringComparison.Ordinal);
        Assert.Equal(("alice", "tenant-a", "tenant-admin", "sso"), (me.User, me.Tenant, me.Role, me.Site));
        Assert.DoesNotContain(toCli.Query, await File.ReadAllTextAsync(cli.ConfigFile), StringComparison.Ordinal); // the code is not the token
    }
}
