using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Domain.Common;
using Vcm.Drivers.Images;
using Vcm.Manager.Configuration;
using Vcm.Manager.Http;

namespace Vcm.Manager.Api;

/// <summary>
/// /api/v1/images: the site's image store, from which agents copy base images to their hosts (with their agent
/// key) — the manifest (file names, sizes, SHA-256), each file (with Range requests, so a cut copy resumes), and
/// each file's chunk list (the SHA-256 of every chunk, computed once per file and chunk size and cached in the store).
/// </summary>
public static class ImageEndpoints
{
    public static void MapImages(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/images").WithTags("images");
        group.MapGet("/{name}/manifest", (string name, ManagerOptions options) =>
            File(options, name, "manifest.json", "application/json"))
            .WithName("getImageManifest").Produces(StatusCodes.Status200OK, contentType: "application/json").ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("An image's manifest: its files with sizes and SHA-256.");
        group.MapGet("/{name}/files/{file}", (string name, string file, ManagerOptions options) =>
            File(options, name, file, "application/octet-stream"))
            .AddEndpointFilter<Images.ImageFetchMeter>()
            .WithName("getImageFile").Produces(StatusCodes.Status200OK, contentType: "application/octet-stream").Produces(StatusCodes.Status206PartialContent, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status416RangeNotSatisfiable)
            .WithSummary("One file of an image (Range requests answered; an agent's fetch is measured for the cost model's transfer rates).");
        group.MapGet("/{name}/chunks/{file}", async (string name, string file, int? size, ManagerOptions options, CancellationToken ct) =>
        {
            var chunkSize = size ?? ChunkList.DefaultChunkSize;
            if (!Safe(name) || !Safe(file) || file == "manifest.json")
            {
                return Problems.NotFound($"An image file '{name}/{file}'");
            }

            if (!ChunkList.IsValidChunkSize(chunkSize))
            {
                return Problems.Invalid([new Problem("size", $"{chunkSize} is not a power of two from 64 KiB to 64 MiB")]);
            }

            return await ChunkListCache.GetAsync(options.EffectiveImageDirectory, name, file, chunkSize, ct) is { } list
                ? Results.Ok(list)
                : Problems.NotFound($"An image file '{name}/{file}' in the site's store");
        })
            .WithName("getImageChunks").Produces<ChunkList>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("How one file of an image is cut into chunks (?size=BYTES, default 8 MiB), with each chunk's SHA-256.");
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
