using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;

namespace Vcm.Manager.Portal;

/// <summary>
/// The portal (the single-page app built from portal/ into the manager's wwwroot) at <c>/</c>: its files, and
/// index.html for every other GET of a path outside the API's prefixes, so that a page's URL (/clusters/demo) can be
/// opened directly. Every answer carries a Content-Security-Policy that lets the page load and call only this origin.
/// The portal reads and changes data only through /api/v1, with the same authorization as the CLI.
/// </summary>
public static class PortalFiles
{
    /// <summary>
    /// Scripts, fonts, images and connections (fetch, EventSource, WebSocket) from this origin only, no inline script, no
    /// plugin, no framing. Styles: this origin's style sheets, and the style elements xterm.js's terminal renderer makes
    /// at run time (it writes its cell layout and colours into one; it cannot be given a nonce).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    /// <summary>The paths that are the manager's own (the API, federation, sign-in, metrics, documents), never the portal's.</summary>
    private static readonly string[] Reserved = ["/api", "/federation", "/auth", "/metrics", "/openapi", "/problems", "/healthz"];

    /// <summary>The folder the build puts the portal in: wwwroot next to the program.</summary>
    public static string DefaultRoot => Path.Combine(AppContext.BaseDirectory, "wwwroot");

    /// <summary>Whether a request is the portal's: a GET or HEAD of a path outside <see cref="Reserved"/>.</summary>
    public static bool Serves(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && !Reserved.Any(prefix => request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>Serves the portal from <paramref name="root"/> when it holds a built portal (index.html); otherwise the manager serves only its API.</summary>
    public static IApplicationBuilder UsePortal(this IApplicationBuilder app, string root)
    {
        if (!File.Exists(Path.Combine(root, "index.html")))
        {
            return app;
        }

        var files = new PhysicalFileProvider(root);
        return app.MapWhen(context => Serves(context.Request), portal =>
        {
            portal.Use((context, next) =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                return next(context);
            });
            portal.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                OnPrepareResponse = file => file.Context.Response.Headers.CacheControl =
                    file.Context.Request.Path.StartsWithSegments("/assets") ? "public, max-age=31536000, immutable" : "no-cache",
            });
            portal.Run(context => FallbackAsync(context, files));
        });
    }

    /// <summary>A path with no file: a missing asset is 404; any other path is a page of the portal, answered by index.html.</summary>
    private static async Task FallbackAsync(HttpContext context, IFileProvider files)
    {
        if (context.Request.Path.StartsWithSegments("/assets") || Path.HasExtension(context.Request.Path.Value))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var index = files.GetFileInfo("index.html");
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.ContentLength = index.Length;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        await context.Response.SendFileAsync(index, context.RequestAborted);
    }
}
