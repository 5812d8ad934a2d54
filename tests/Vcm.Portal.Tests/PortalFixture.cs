using Microsoft.Playwright;
using Vcm.Api;
using Vcm.Drivers.Processes;
using Vcm.Testing;
using Vcm.Testing.Browser;
using Xunit;

namespace Vcm.Portal.Tests;

/// <summary>
/// One `vcm up --sim 3` (which serves the portal at /) with two tenants, <c>a</c> (user alice) and <c>b</c> (user bob),
/// and a provider user pat, each user with a local password, signing in through the test OpenID provider as well
/// (its group vcm-tenant-a-members: tenant a's members), and one headless Debian chromium driven by Playwright. Each test opens its own
/// browser context (its own cookies) and uses its own cluster names.
/// </summary>
public sealed class PortalFixture : IAsyncLifetime
{
    public const string Password = "a long enough secret";

    private readonly TempDirectory _data = new("vcm-portal");

    private readonly Dictionary<string, string> _tokens = [];

    private IPlaywright? _playwright;

    /// <summary>A folder for a test's files (removed with the fixture).</summary>
    public string Home => _data.Combine("home");

    public VcmProcess Up { get; private set; } = null!;

    public VcmCli Cli { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string Server => Cli.Server;

    public async Task InitializeAsync()
    {
        // signing in through the test OpenID provider (tests/oidc) too: its group vcm-tenant-a-members makes a member of a
        var secretFile = _data.Combine("oidc-secret");
        await File.WriteAllTextAsync(secretFile, OidcProvider.ClientSecret + "\n");
        (Up, Cli) = await SimUp.StartAsync(
            _data.Path, 3, "--oidc-issuer", (await OidcProvider.IssuerAsync()).ToString().TrimEnd('/'), "--oidc-client-id", OidcProvider.ClientId,
            "--oidc-client-secret-file", secretFile, "--oidc-name", "Test provider", "--oidc-scopes", "openid profile groups",
            "--oidc-group", "vcm-tenant-a-members=a:member");
        Directory.CreateDirectory(Home);
        await Cli.JsonAsync<UserView>("user", "add", "pat", "--role", "provider");
        foreach (var (tenant, user) in new[] { ("a", "alice"), ("b", "bob"), (null, "pat") })
        {
            if (tenant is not null)
            {
                await Cli.JsonAsync<TenantView>("tenant", "create", tenant);
                await Cli.JsonAsync<UserView>("user", "add", user, "--tenant", tenant, "--role", "member");
            }

            var set = await ProcessRunner.Instance.RunAsync(
                new ProcessSpec(RepoPaths.Cli, ["user", "passwd", user]) { Environment = Cli.Environment, StandardInput = Password + "\n" },
                CancellationToken.None);
            Assert.True(set.ExitCode == 0, set.StandardError);
        }

        _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
    }

    /// <summary>A new browser context (no cookies) with a page on the portal, failing the test on any page error or dialog.</summary>
    public async Task<PortalPage> OpenAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = ColorScheme.Light,
        });
        return new PortalPage(context, await context.NewPageAsync(), this);
    }

    /// <summary>Runs `vcm` as the user (with an API token the provider made for it), as that user's CLI would.</summary>
    public async Task<ProcessResult> AsUserAsync(string user, params string[] args)
    {
        if (!_tokens.TryGetValue(user, out var token))
        {
            token = (await Cli.JsonAsync<TokenView>("token", "create", "--user", user, "--name", "portal-tests")).Secret!;
            _tokens[user] = token;
        }

        var environment = new Dictionary<string, string?>(Cli.Environment) { ["VCM_TOKEN"] = token, ["VCM_DATA"] = Home };
        return await ProcessRunner.Instance.RunAsync(
            new ProcessSpec(RepoPaths.Cli, args) { Environment = environment, Timeout = TimeSpan.FromMinutes(1) }, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Up is not null)
        {
            await Up.DisposeAsync();
        }

        _data.Dispose();
    }
}
