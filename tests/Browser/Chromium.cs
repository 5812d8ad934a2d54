using Microsoft.Playwright;

namespace Vcm.Testing.Browser;

/// <summary>
/// Debian's chromium (/usr/bin/chromium, which ./test installs) launched headless by Playwright, which never downloads
/// a browser of its own. Compiled into each test project that drives a browser (the portal's and the lab's), so they
/// launch it alike.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Starts a headless chromium: no sandbox (the tests run as root), no GPU, no network of its own.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
}
