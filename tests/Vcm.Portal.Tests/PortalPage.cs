using Microsoft.Playwright;
using Vcm.Testing;

namespace Vcm.Portal.Tests;

/// <summary>
/// One browser page on the portal, in its own context. It records what would show a broken page: uncaught script
/// errors, console errors (a Content-Security-Policy refusal among them; not the browser's note of a 4xx answer), dialogs
/// (an injected alert()) and any request a page makes to another origin (no third-party script, font or call).
/// </summary>
public sealed class PortalPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;

    private readonly PortalFixture _fixture;

    public PortalPage(IBrowserContext context, IPage page, PortalFixture fixture)
    {
        _context = context;
        _fixture = fixture;
        Page = page;
        page.PageError += (_, error) => Errors.Add("page error: " + error);
        page.Console += (_, message) =>
        {
            // a 4xx answer the page expects (401 before sign-in, 404, 409) is logged by the browser too: not a fault of the page
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                Errors.Add("console: " + message.Text);
            }
        };
        // every script, style, font, image and API call comes from vcm itself (a page the user navigates to, like the
        // identity provider's sign-in, is not a request of the portal's)
        page.Request += (_, request) =>
        {
            if (!request.IsNavigationRequest && !request.Url.StartsWith(fixture.Server + "/", StringComparison.Ordinal)
                && !request.Url.StartsWith("data:", StringComparison.Ordinal) && !request.Url.StartsWith("blob:", StringComparison.Ordinal))
            {
                Errors.Add("request to another origin: " + request.Url);
            }
        };
        page.Dialog += async (_, dialog) =>
        {
            Errors.Add("dialog: " + dialog.Message);
            await dialog.DismissAsync();
        };
    }

    public IPage Page { get; }

    /// <summary>Script errors, console errors and dialogs seen so far.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Signs in through the portal's form with a local password and waits for the landing page.</summary>
    public async Task SignInAsync(string user, string password = PortalFixture.Password)
    {
        await Page.GotoAsync("/");
        await Page.GetByLabel("User name").FillAsync(user);
        await Page.GetByLabel("Password").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Clusters", Exact = true })).ToBeVisibleAsync();
    }

    /// <summary>Writes a screenshot of the whole page to docs/portal/NAME.png (shown in the README).</summary>
    public async Task ScreenshotAsync(string name)
    {
        var folder = Path.Combine(RepoPaths.Root, "docs", "portal");
        Directory.CreateDirectory(folder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    public PortalFixture Fixture => _fixture;

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
