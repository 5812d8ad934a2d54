using Microsoft.Playwright;

namespace Vcm.Bench;

/// <summary>
/// Headless Debian chromium driven by Playwright (the portal tests' flags; no browser is ever downloaded), signed in to
/// the portal once with a local password; pages are opened in that one context (its cookie and HTTP cache).
/// </summary>
internal sealed class PortalBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly IBrowserContext _context;

    private PortalBrowser(IPlaywright playwright, IBrowser browser, IBrowserContext context) =>
        (_playwright, _browser, _context) = (playwright, browser, context);

    public static async Task<PortalBrowser> SignInAsync(string server, string user, string password)
    {
        var playwright = await Playwright.CreateAsync();
        IBrowser? browser = null;
        try
        {
            browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic",
                ],
            });
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
            context.SetDefaultTimeout(120_000);
            var page = await context.NewPageAsync();
            await page.GotoAsync("/");
            await page.GetByLabel("User name").FillAsync(user);
            await page.GetByLabel("Password").FillAsync(password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = "Clusters", Exact = true }).WaitForAsync();
            await page.CloseAsync();
            return new PortalBrowser(playwright, browser, context);
        }
        catch
        {
            if (browser is not null)
            {
                await browser.CloseAsync();
            }

            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens a new page at the path and returns the time from its navigation start to the first moment the page's
    /// document holds at least <paramref name="rows"/> elements matching the selector (a MutationObserver installed
    /// before any of the page's scripts runs notes performance.now() then). The page is closed.
    /// </summary>
    public async Task<double> TimeToRowsAsync(string path, string selector, int rows)
    {
        var page = await _context.NewPageAsync();
        try
        {
            await page.AddInitScriptAsync(
                $$"""
                (() => {
                  const seen = () => document.querySelectorAll({{Js(selector)}}).length >= {{rows}};
                  new MutationObserver((_, observer) => {
                    if (window.__rendered === undefined && seen()) { window.__rendered = performance.now(); observer.disconnect(); }
                  }).observe(document, { childList: true, subtree: true });
                })();
                """);
            await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
            var rendered = await page.WaitForFunctionAsync("() => window.__rendered", null, new PageWaitForFunctionOptions { PollingInterval = 20 });
            return await rendered.JsonValueAsync<double>();
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    /// <summary>Opens a page at the path and waits until the script's condition holds (it stays open).</summary>
    public async Task<IPage> OpenAsync(string path, string condition)
    {
        var page = await _context.NewPageAsync();
        await page.GotoAsync(path);
        await page.WaitForFunctionAsync(condition, null, new PageWaitForFunctionOptions { PollingInterval = 20 });
        return page;
    }

    /// <summary>
    /// Installs in the page a MutationObserver that notes Date.now() (wall clock, as the bench's own) the first time the
    /// condition holds after this call; <see cref="ShownAtAsync"/> then waits for that moment.
    /// </summary>
    public static async Task ArmAsync(IPage page, string condition) =>
        await page.EvaluateAsync(
            $$"""
            () => {
              window.__shown = undefined;
              const holds = {{condition}};
              new MutationObserver((_, observer) => {
                if (window.__shown === undefined && holds()) { window.__shown = Date.now(); observer.disconnect(); }
              }).observe(document.body, { childList: true, subtree: true, characterData: true });
            }
            """);

    /// <summary>The wall-clock time (Unix milliseconds) the armed condition came to hold.</summary>
    public static async Task<long> ShownAtAsync(IPage page)
    {
        var shown = await page.WaitForFunctionAsync("() => window.__shown", null, new PageWaitForFunctionOptions { PollingInterval = 20 });
        return (long)await shown.JsonValueAsync<double>();
    }

    public async ValueTask DisposeAsync()
    {
        await _context.CloseAsync();
        await _browser.CloseAsync();
        _playwright.Dispose();
    }

    /// <summary>A string as a JavaScript literal.</summary>
    private static string Js(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
