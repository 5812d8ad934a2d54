using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Drivers;
using Vcm.Drivers.Packages;
using Vcm.Manager.Http;

namespace Vcm.Manager.Api;

/// <summary>
/// /api/v1/packages/PATH: the site's package cache as an apt repository, for agents (with their agent key), which
/// keep a copy per host and serve it to their gateways' nodes. PATH is <c>suites</c> or a path of the Debian archive's
/// layout (<see cref="ArchivePath"/>); a .deb the cache lacks is fetched from the mirror first. Release files and
/// indexes change when apt's lists do; pool files and by-hash indexes never change.
/// </summary>
public static class PackageEndpoints
{
    public static void MapPackages(this RouteGroupBuilder api)
    {
        api.MapGet("/packages/{**path}", async (string path, IPackageArchive archive, CancellationToken ct) =>
        {
            if (ArchivePath.Parse(path) is not { } parsed)
            {
                return Problems.NotFound($"A package repository path '{path}'");
            }

            try
            {
                return await archive.GetAsync(parsed, ct) is { } file
                    ? Results.File(file.Path, parsed.Kind == ArchivePathKind.Deb ? "application/vnd.debian.binary-package" : "text/plain", enableRangeProcessing: true)
                    : Problems.NotFound($"'{path}' in the site's package repository");
            }
            catch (DriverException e)
            {
                return Results.Problem(e.Message, statusCode: StatusCodes.Status502BadGateway, title: "The site's package cache could not get the file");
            }
        })
            .WithName("getPackageFile")
            .WithTags("packages")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream").Produces(StatusCodes.Status206PartialContent, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status416RangeNotSatisfiable).ProducesProblem(StatusCodes.Status502BadGateway)
            .WithSummary("A file of the site's package repository (the Debian archive's InRelease and indexes, the .debs of its pool; a missing .deb is fetched from the mirror first).");
    }
}
