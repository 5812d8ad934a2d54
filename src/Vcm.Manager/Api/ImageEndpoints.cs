using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Manager.Configuration;
using Vcm.Manager.Http;

namespace Vcm.Manager.Api;

/// <summary>
/// /api/v1/images: the site's image store, from which agents copy base images to their hosts (with their agent
/// key) — the manifest (file names, sizes, SHA-256) and each file.
/// </summary>
public static class ImageEndpoints
{
    public static void MapImages(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/images").WithTags("images");
        group.MapGet("/{name}/manifest", (string name, ManagerOptions options) =>
            File(options, name, "manifest.json", "application/json"))
            .WithSummary("An image's manifest: its files with sizes and SHA-256.");
        group.MapGet("/{name}/files/{file}", (string name, string file, ManagerOptions options) =>
            File(options, name, file, "application/octet-stream"))
            .AddEndpointFilter<Images.ImageFetchMeter>()
            .WithSummary("One file of an image (an agent's fetch is measured for the cost model's transfer rates).");
    }

    private static IResult File(ManagerOptions options, string name, string file, string contentType)
    {
        if (!Safe(name) || !Safe(file))
        {
            return Problems.NotFound($"An image file '{name}/{file}'");
        }

        var path = Path.Combine(options.EffectiveImageDirectory, name, file);
        return System.IO.File.Exists(path)
            ? Results.File(path, contentType, enableRangeProcessing: true)
            : Problems.NotFound($"An image file '{name}/{file}' in the site's store");
    }

    private static bool Safe(string part) =>
        part.Length is > 0 and <= 128 && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && !part.StartsWith('.');
}
