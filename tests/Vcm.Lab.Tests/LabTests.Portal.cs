using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Vcm.Api;
using Vcm.Testing;
using Vcm.Testing.Browser;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Vcm.Lab.Tests;

public sealed partial class LabTests
{
    /// <summary>
    /// The portal on real VMs, in Debian's chromium: a tenant's member with a local password signs in at the lab
    /// manager's URL, reserves a cluster with one worker on the reserve page, watches the cluster page's live progress
    /// reach Ready without a reload, opens the web shell on node-01 in the page, types `hostname` and sees node-01 in
    /// the terminal, then deletes the cluster from the page and sees it leave the landing page's list. Screenshots go to
    /// docs/portal/cluster-lab.png and docs/portal/shell.png.
    /// </summary>
    [Fact]
    public async Task Portal_MemberReservesWatchesReady_RunsHostnameInTheWebShell_DeletesIt()
    {
        const string Tenant = "web-a", User = "web-a-member", Password = "a long enough lab secret";
        var ct = CancellationToken.None;
        var adminToken = (await File.ReadAllTextAsync(Path.Combine(lab.DataDirectory, "admin.token"))).Trim();
        using (var admin = VcmClientFor(adminToken))
        {
            await admin.CreateTenantAsync(new TenantCreateRequest(Tenant, null), ct);
            await admin.CreateUserAsync(new UserCreateRequest(User, Tenant, "member", [await File.ReadAllTextAsync(lab.PublicKeyFile)]), ct);
            await admin.SetPasswordAsync(User, Password, ct);
        }

        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await Chromium.LaunchAsync(playwright);
        try
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = lab.Cli.Server,
                ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
                ColorScheme = ColorScheme.Light,
            });
            var page = await context.NewPageAsync();
            var errors = new List<string>();
            page.PageError += (_, error) => errors.Add(error);

            await page.GotoAsync("/");
            await page.GetByLabel("User name").FillAsync(User);
            await page.GetByLabel("Password").FillAsync(Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Clusters", Exact = true })).ToBeVisibleAsync();

            await page.GetByRole(AriaRole.Link, new() { Name = "Reserve", Exact = true }).ClickAsync();
            await page.GetByLabel("Name", new() { Exact = true }).FillAsync("web1");
            await page.GetByLabel("Workers", new() { Exact = true }).FillAsync("1");
            await Expect(page.GetByText("The request fits.")).ToBeVisibleAsync();
            await _own.AddAsync("web1");
            await page.GetByRole(AriaRole.Button, new() { Name = "Reserve", Exact = true }).ClickAsync();

            await page.WaitForURLAsync("**/clusters/web1");
            var phase = page.Locator(".state .phase");
            await Expect(phase).ToBeVisibleAsync();
            var firstPhase = await phase.TextContentAsync();
            output.WriteLine($"the cluster page opened at phase {firstPhase}");
            // a mark in this document: a reload or a navigation would drop it
            await page.EvaluateAsync("() => { window.vcmLabMark = 'same document'; }");
            await Expect(phase).ToHaveTextAsync("Ready", new() { Timeout = 600_000 });
            await Expect(page.Locator(".state .count")).ToHaveTextAsync("2/2");
            await Expect(page.Locator("tr[data-node]")).ToHaveCountAsync(2);
            var mark = await page.EvaluateAsync<string?>("() => window.vcmLabMark ?? null");
            await ScreenshotAsync(page, "cluster-lab");

            await page.GetByRole(AriaRole.Button, new() { Name = "Open a shell on node-01" }).ClickAsync();
            var shell = page.Locator(".shell");
            await Expect(shell.GetByRole(AriaRole.Status)).ToHaveTextAsync("connected", new() { Timeout = 60_000 });
            await page.Keyboard.TypeAsync("hostname");
            await page.Keyboard.PressAsync("Enter");
            // a row that is node-01 alone: hostname's answer, not the prompt that names the node too
            var answer = shell.Locator(".xterm-rows > div").Filter(new() { HasTextRegex = new Regex(@"^\s*node-01\s*$") });
            await Expect(answer.First).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await shell.ScreenshotAsync(new LocatorScreenshotOptions { Path = DocsPortal("shell") });
            output.WriteLine($"the terminal showed: {await shell.Locator(".xterm-rows").InnerTextAsync()}");

            await page.GetByRole(AriaRole.Button, new() { Name = "Delete…", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Clusters", Exact = true })).ToBeVisibleAsync();
            await Expect(page.Locator("tr[data-cluster='web1']")).ToHaveCountAsync(0, new() { Timeout = 300_000 });
            var shown = await lab.Cli.WaitForPhaseAsync("web1", "Released", TimeSpan.FromMinutes(2));

            Assert.NotEqual("Ready", firstPhase);
            Assert.Equal("same document", mark);
            Assert.Equal("Released", shown.Phase);
            Assert.Empty(errors);
        }
        finally
        {
            await browser.CloseAsync();
        }
    }

    private static string DocsPortal(string name)
    {
        var folder = Path.Combine(RepoPaths.Root, "docs", "portal");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name + ".png");
    }

    private static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = DocsPortal(name), FullPage = true });
}
