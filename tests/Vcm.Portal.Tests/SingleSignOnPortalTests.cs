using Microsoft.Playwright;
using Vcm.Testing;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Vcm.Portal.Tests;

/// <summary>
/// Signing in to the portal through the real OpenID provider (tests/oidc) in the browser: the portal's button leads to
/// the provider's own login and consent pages and back to the page asked for, signed in with the tenant and role the
/// provider's group gives; signing out ends the session at vcm and at the provider (its sign-out page); a user in no
/// mapped group sees the refusal and is not signed in.
/// </summary>
public sealed class SingleSignOnPortalTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task SignIn_ThroughTheProvidersPages_LandsWithTheGroupsRole_AndSignOutEndsItThere()
    {
        await OidcProvider.SetUserAsync("olga", "vcm-tenant-a-members");
        await using var portal = await fixture.OpenAsync();
        var page = portal.Page;

        await page.GotoAsync("/reserve");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Test provider" }).ClickAsync();
        await page.GetByLabel("User").FillAsync("olga"); // the provider's own page
        await page.GetByLabel("Password").FillAsync("olga-pw");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Reserve a cluster" })).ToBeVisibleAsync();
        await Expect(page.GetByText("olga · a · member")).ToBeVisibleAsync();
        Assert.EndsWith("/reserve", page.Url, StringComparison.Ordinal);
        var cookies = await page.Context.CookiesAsync();
        Assert.Contains(cookies, c => c.Name == "vcm_session" && c.HttpOnly && c.SameSite == SameSiteAttribute.Strict);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        var issuer = (await OidcProvider.IssuerAsync()).GetLeftPart(UriPartial.Authority);
        await page.WaitForURLAsync(url => url.StartsWith(issuer, StringComparison.Ordinal)); // the provider's sign-out page
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync(); // which asks once more
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to vcm" })).ToBeVisibleAsync();
        var after = await page.Context.CookiesAsync();

        Assert.DoesNotContain(after, c => c.Name == "vcm_session");
        Assert.Empty(portal.Errors);
    }

    [Fact]
    public async Task AUserInNoMappedGroup_SeesTheRefusal_AndIsNotSignedIn()
    {
        await OidcProvider.SetUserAsync("ned", "staff");
        await using var portal = await fixture.OpenAsync();
        var page = portal.Page;

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Test provider" }).ClickAsync();
        await page.GetByLabel("User").FillAsync("ned");
        await page.GetByLabel("Password").FillAsync("ned-pw");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();

        await Expect(page.GetByText("is in no group that gives a role at this site")).ToBeVisibleAsync();
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "vcm_session");
    }
}
