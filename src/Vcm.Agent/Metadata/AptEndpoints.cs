using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Drivers.Packages;

namespace Vcm.Agent.Metadata;

/// <summary>
/// Install at boot (docs/guest-protocol.md, "Packages at boot"): <c>/v1/self/packages</c> (what this node installs,
/// one per line; 404: nothing), <c>/v1/self/apt-sources</c> (its apt sources: this gateway's /apt), and <c>/apt/PATH</c>,
/// the site's package repository passed through from the host's package socket — the Debian archive's own InRelease
/// and indexes, so the node's apt checks them with its keyring.
/// </summary>
public static class AptEndpoints
{
    private const string Prefix = "/apt";

    public static bool IsApt(HttpRequest request) => request.Path.StartsWithSegments(Prefix, StringComparison.Ordinal);

    public static void Map(WebApplication app, RouteGroupBuilder self)
    {
        self.MapGet("/packages", async (MetadataServerOptions options, CancellationToken ct) =>
            await GatewayFiles.ReadSetupAsync(options.Directory, ct) is { Setup.Packages: { Count: > 0 } packages }
                ? Results.Text(string.Concat(packages.Select(p => p + "\n")), "text/plain; charset=utf-8")
                : Results.NotFound());
        self.MapGet("/apt-sources", async (HttpContext context, PackageSocketClient packages, CancellationToken ct) =>
        {
            if (!packages.Available)
            {
                return Results.NotFound();
            }

            using var response = await packages.GetAsync(ArchivePath.SuitesFile, ct);
            return response.IsSuccessStatusCode
                ? Results.Text(AptSources.For($"http://{context.Request.Host}{Prefix}", await response.Content.ReadAsStringAsync(ct)), "text/plain; charset=utf-8")
                : Results.StatusCode((int)response.StatusCode);
        });
        app.MapGet(Prefix + "/{**path}", PassAsync);
    }

    private static async Task PassAsync(string path, HttpContext context, PackageSocketClient packages, CancellationToken ct)
    {
        if (!packages.Available || ArchivePath.Parse(path) is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var response = await packages.GetAsync(path, ct);
        context.Response.StatusCode = response.StatusCode == HttpStatusCode.OK ? 200 : (int)response.StatusCode;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return;
        }

        context.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
        context.Response.ContentLength = response.Content.Headers.ContentLength;
        if (response.Content.Headers.LastModified is { } modified)
        {
            context.Response.Headers.LastModified = modified.ToString("R");
        }

        await using var body = await response.Content.ReadAsStreamAsync(ct);
        await body.CopyToAsync(context.Response.Body, ct);
    }
}
