using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Vcm.Api;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Vcm.Portal.Tests;

/// <summary>
/// The portal in Debian's chromium against `vcm up --sim 3`: sign in with a local password, reserve from the capacity
/// calendar and watch the cluster become Ready, a request that does not fit reserved at its earliest start, tenants
/// kept apart, user text shown as text, a cross-site form refused. Each test writes its screenshots to docs/portal/.
/// </summary>
public sealed partial class PortalTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private const string Key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGmJLlpPKExDj0XQHQWSawdxfisEofdkULgUOii7IaUp";

    private static readonly LocatorAssertionsToHaveTextOptions Build = new() { Timeout = 90_000 };

    [Fact]
    public async Task SignIn_LocalPassword_LandingShowsQuotaCapacityAndWorksAtPhoneWidth()
    {
        await using var portal = await fixture.OpenAsync();
        var page = portal.Page;

        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to vcm" })).ToBeVisibleAsync();
        await portal.ScreenshotAsync("sign-in");
        await page.GetByLabel("User name").FillAsync("alice");
        await page.GetByLabel("Password").FillAsync("not the password at all");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The user name or password is wrong.");

        await portal.SignInAsync("alice");

        await Expect(page.GetByText("alice · a · member")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Quota of a" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Capacity at local" })).ToBeVisibleAsync();
        await Expect(page.GetByText(new Regex(@"^Free now: \d+ vCPUs"))).ToBeVisibleAsync();
        await Expect(page.Locator(".calendar .bars li")).ToHaveCountAsync(28);
        await portal.ScreenshotAsync("landing");

        await page.SetViewportSizeAsync(375, 800);
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Capacity at local" })).ToBeVisibleAsync();
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        await portal.ScreenshotAsync("landing-phone");

        Assert.True(overflow <= 0, $"the landing page is {overflow} px wider than a 375 px screen");
        Assert.Empty(portal.Errors);
    }

    [Fact]
    public async Task Reserve_FromTheCalendar_ClusterBecomesReadyLive()
    {
        await using var portal = await fixture.OpenAsync();
        var page = portal.Page;
        await portal.SignInAsync("alice");

        await page.GetByRole(AriaRole.Link, new() { Name = "Reserve", Exact = true }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("cal1");
        await page.GetByLabel("Workers", new() { Exact = true }).FillAsync("2");
        await Expect(page.GetByText("The request fits.")).ToBeVisibleAsync();
        var firstFit = page.Locator(".bars li.fits button").First;
        await Expect(firstFit).ToBeVisibleAsync();
        await firstFit.ClickAsync();
        await Expect(page.GetByLabel("Start", new() { Exact = true })).ToHaveValueAsync("now");
        await portal.ScreenshotAsync("reserve");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reserve", Exact = true }).ClickAsync();

        await page.WaitForURLAsync("**/clusters/cal1");
        await Expect(page.Locator(".state .phase")).ToHaveTextAsync("Ready", Build);
        await Expect(page.Locator(".state .count")).ToHaveTextAsync("3/3");
        await Expect(page.Locator("tr[data-node]")).ToHaveCountAsync(3);
        await Expect(page.GetByText("vcm ssh cal1", new() { Exact = true })).ToBeVisibleAsync();
        await portal.ScreenshotAsync("cluster");
        var shown = await fixture.Cli.ShowAsync("cal1");

        Assert.Equal("Ready", shown.Phase);
        Assert.Empty(portal.Errors);
    }

    [Fact]
    public async Task Reserve_RequestThatDoesNotFit_ShowsEarliestStart_ReservingAtItSucceeds()
    {
        var start = new DateTimeOffset(DateTimeOffset.UtcNow.Date, TimeSpan.Zero).AddDays(3).AddHours(9);
        var at = start.ToString("yyyy-MM-ddTHH:mmZ", CultureInfo.InvariantCulture);
        // the whole site (3 hosts of 32 vCPUs) is taken for 2 h from then
        var block = await fixture.Cli.RunAsync("cluster", "create", "block3", "--workers", "2", "--cpus", "32", "--memory", "1G", "--start", at, "--for", "2h");
        Assert.True(block.ExitCode == 0, block.StandardError);
        try
        {
            await using var portal = await fixture.OpenAsync();
            var page = portal.Page;
            await portal.SignInAsync("alice");
            await page.GotoAsync("/reserve");
            await page.GetByLabel("Name", new() { Exact = true }).FillAsync("late1");
            await page.GetByLabel("Workers", new() { Exact = true }).FillAsync("1");
            await page.GetByLabel("vCPUs per node").FillAsync("32");
            await page.GetByLabel("Start", new() { Exact = true }).FillAsync(at);
            await page.GetByLabel("Duration").FillAsync("1h");
            await page.GetByRole(AriaRole.Button, new() { Name = "Reserve", Exact = true }).ClickAsync();

            var earliest = page.Locator("[data-earliest]");
            await Expect(earliest).ToBeVisibleAsync();
            var earliestAt = DateTimeOffset.Parse((await earliest.GetAttributeAsync("data-earliest"))!, CultureInfo.InvariantCulture);
            await Expect(page.Locator(".calendar .bars li.fits").First).ToBeVisibleAsync();
            await portal.ScreenshotAsync("reserve-no-fit");
            await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Reserve at ") }).ClickAsync();
            await page.WaitForURLAsync("**/clusters/late1");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Cluster late1" })).ToBeVisibleAsync();
            var late = await fixture.Cli.ShowAsync("late1");

            Assert.Equal(start.AddHours(2), earliestAt);
            Assert.Equal(start.AddHours(2), late.Start);
            Assert.Empty(portal.Errors);
        }
        finally
        {
            await fixture.Cli.RunAsync("cluster", "delete", "late1");
            await fixture.Cli.RunAsync("cluster", "delete", "block3");
        }
    }

    [Fact]
    public async Task TenantB_SeesNoneOfTenantAsClusters_AndAsClusterUrlIsNotFound()
    {
        var made = await fixture.AsUserAsync("alice", "cluster", "create", "only-a", "--workers", "1");
        Assert.True(made.ExitCode == 0, made.StandardError);

        await using var alice = await fixture.OpenAsync();
        await alice.SignInAsync("alice");
        await Expect(alice.Page.Locator("tr[data-cluster='only-a']")).ToBeVisibleAsync();

        await using var bob = await fixture.OpenAsync();
        await bob.SignInAsync("bob");
        await Expect(bob.Page.GetByText("No clusters yet.")).ToBeVisibleAsync();
        var listed = await bob.Page.Locator("tr[data-cluster]").CountAsync();
        await bob.Page.GotoAsync("/clusters/only-a");
        await Expect(bob.Page.GetByRole(AriaRole.Heading, new() { Name = "Cluster not found" })).ToBeVisibleAsync();
        await bob.ScreenshotAsync("not-found");

        Assert.Equal(0, listed);
        Assert.Empty(alice.Errors);
    }

    [Fact]
    public async Task HtmlInUserText_ShowsAsText_NoScriptRuns()
    {
        const string Comment = "<img src=x onerror=alert(1)><script>alert(2)</script>";
        var keyFile = Path.Combine(fixture.Home, "xss.pub");
        await File.WriteAllTextAsync(keyFile, $"{Key} {Comment}\n");
        var made = await fixture.AsUserAsync("alice", "cluster", "create", "xss1", "--workers", "1", "--ssh-key", keyFile);
        Assert.True(made.ExitCode == 0, made.StandardError);

        await using var portal = await fixture.OpenAsync();
        var page = portal.Page;
        await portal.SignInAsync("alice");
        await page.GotoAsync("/clusters/xss1");
        await Expect(page.GetByText(Comment, new() { Exact = false })).ToBeVisibleAsync();
        var images = await page.Locator("main img").CountAsync();
        var scripts = await page.Locator("main script").CountAsync();

        await page.GotoAsync("/reserve");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("<img src=y onerror=alert(3)>");
        await Expect(page.Locator("#name-problems")).ToContainTextAsync("<img src=y onerror=alert(3)>");
        var formImages = await page.Locator("main img").CountAsync();
        await portal.ScreenshotAsync("reserve-problems");

        Assert.Equal((0, 0, 0), (images, scripts, formImages));
        Assert.Empty(portal.Errors);
    }

    [Fact]
    public async Task CrossSiteFormPost_FromAnotherOrigin_IsRefused_NothingMade()
    {
        await using var portal = await fixture.OpenAsync();
        var page = portal.Page;
        await portal.SignInAsync("alice");

        // a page of another origin (same host, another port: the same site, so a SameSite cookie alone would go along)
        var other = $"http://127.0.0.1:{Vcm.Testing.FreePort.Next()}";
        await page.RouteAsync(other + "/**", route => route.FulfillAsync(new RouteFulfillOptions
        {
            ContentType = "text/html",
            Body = $$"""
                <!doctype html><html><body>
                <form method="post" action="{{fixture.Server}}/api/v1/clusters" enctype="text/plain">
                <input type="hidden" name='{"name":"csrf1","workers":1,"x":"' value='"}'>
                <button type="submit">win a prize</button></form></body></html>
                """,
        }));
        await page.GotoAsync(other + "/prize");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "win a prize" }).ClickAsync(),
            r => r.Url.EndsWith("/api/v1/clusters", StringComparison.Ordinal) && r.Request.Method == "POST");
        var show = await fixture.Cli.RunAsync("cluster", "show", "csrf1");

        Assert.Contains(response.Status, new[] { 401, 403 });
        Assert.Equal(3, show.ExitCode); // not found: nothing was made
    }
}
