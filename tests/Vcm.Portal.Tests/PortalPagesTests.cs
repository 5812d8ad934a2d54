using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Vcm.Portal.Tests;

/// <summary>
/// The portal's pages for each role: axe-core finds no WCAG 2 A/AA problem (labels, names, contrast) on the sign-in,
/// landing, reserve and cluster pages; signing in works from the keyboard alone and signing out ends the session;
/// the provider's pages show hosts, tenants and the audit trail, and a tenant's user gets none of them.
/// </summary>
public sealed class PortalPagesTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static async Task<string> ViolationsAsync(IPage page)
    {
        var result = await page.RunAxe(new AxeRunOptions { RunOnly = RunOnlyOptions.Tags("wcag2a", "wcag2aa") });
        return string.Join("\n", result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}"));
    }

    [Fact]
    public async Task Pages_NoAccessibilityViolations_SignInByKeyboard_SignOutEndsTheSession()
    {
        var made = await fixture.AsUserAsync("alice", "cluster", "create", "a11y", "--workers", "1");
        Assert.True(made.ExitCode == 0, made.StandardError);
        await using var portal = await fixture.OpenAsync();
        var page = portal.Page;

        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to vcm" })).ToBeVisibleAsync();
        var signIn = await ViolationsAsync(page);
        await page.GetByLabel("User name").FocusAsync();
        await page.Keyboard.TypeAsync("alice");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(PortalFixture.Password);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Clusters", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("tr[data-cluster='a11y']")).ToBeVisibleAsync();
        var landing = await ViolationsAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Reserve", Exact = true }).ClickAsync();
        await Expect(page.Locator(".calendar .bars li").First).ToBeVisibleAsync();
        var reserve = await ViolationsAsync(page);

        await page.GotoAsync("/clusters/a11y");
        await Expect(page.Locator("tr[data-node]").First).ToBeVisibleAsync();
        var cluster = await ViolationsAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to vcm" })).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to vcm" })).ToBeVisibleAsync();
        var cookies = await page.Context.CookiesAsync();

        var violations = string.Join("\n", new[] { ("sign-in", signIn), ("landing", landing), ("reserve", reserve), ("cluster", cluster) }
            .Where(p => p.Item2.Length > 0).Select(p => $"{p.Item1}: {p.Item2}"));
        Assert.True(violations.Length == 0, violations);
        Assert.DoesNotContain(cookies, c => c.Name == "vcm_session");
        Assert.Empty(portal.Errors);
    }

    [Fact]
    public async Task Provider_SeesHostsTenantsAndAudit_ATenantsUserSeesNoneOfThem()
    {
        await using var provider = await fixture.OpenAsync();
        var page = provider.Page;
        await provider.SignInAsync("pat");

        await page.GetByRole(AriaRole.Link, new() { Name = "Hosts", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Hosts", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("tbody tr")).ToHaveCountAsync(3);
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "sim-001", Exact = true })).ToBeVisibleAsync();
        var hosts = await ViolationsAsync(page);
        await provider.ScreenshotAsync("hosts");
        await page.GetByRole(AriaRole.Link, new() { Name = "Tenants", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "b", Exact = true })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "POST /api/v1/session" }).First).ToBeVisibleAsync();

        await using var member = await fixture.OpenAsync();
        await member.SignInAsync("bob");
        var links = await member.Page.GetByRole(AriaRole.Link, new() { Name = "Hosts", Exact = true }).CountAsync();
        await member.Page.GotoAsync("/site/hosts");
        await Expect(member.Page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();

        Assert.True(hosts.Length == 0, hosts);
        Assert.Equal(0, links);
        Assert.Empty(provider.Errors);
    }

    [Fact]
    public async Task WebShell_OpensATerminalInThePage_UnderTheContentSecurityPolicy()
    {
        var made = await fixture.AsUserAsync("alice", "cluster", "create", "sh1", "--workers", "1");
        Assert.True(made.ExitCode == 0, made.StandardError);
        await using var portal = await fixture.OpenAsync();
        var page = portal.Page;
        await portal.SignInAsync("alice");

        await page.GotoAsync("/clusters/sh1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open a shell on head" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Shell on head", Exact = false })).ToBeVisibleAsync();
        await Expect(page.Locator(".shell .xterm-screen")).ToBeVisibleAsync();
        // a simulated node has no SSH server to reach: the socket is answered and closed, the terminal stays in the page
        await Expect(page.Locator(".shell [role=status]")).ToContainTextAsync("closed", new() { Timeout = 30_000 });
        var screen = await page.Locator(".shell .xterm-screen").BoundingBoxAsync();

        Assert.True(screen is { Width: > 200, Height: > 100 }, $"the terminal is {screen?.Width}x{screen?.Height}");
        Assert.Empty(portal.Errors); // no script error, no style or script refused by the Content-Security-Policy
    }
}
