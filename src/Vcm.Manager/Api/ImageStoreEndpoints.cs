using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vcm.Api;
using Vcm.Drivers;
using Vcm.Drivers.Images;
using Vcm.Manager.Http;
using Vcm.Store.Clusters;

namespace Vcm.Manager.Api;

/// <summary>GET /api/v1/images and DELETE /api/v1/images/{name}: the site's images and package-set layers, for its admin.</summary>
public static class ImageStoreEndpoints
{
    public static void MapImageStore(this RouteGroupBuilder api)
    {
        api.MapGet("/images", ListAsync).WithName("listImages").WithTags("images").Produces<IReadOnlyList<ImageView>>()
            .WithSummary("The images and package-set layers of the site's store: size, parent, packages, and how many clusters booted from each.");
        api.MapDelete("/images/{name}", RemoveAsync).WithName("deleteImage").WithTags("images").Produces<ImageView>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Removes a package-set layer; refused while a live cluster boots from it. Images vcm builds are rebuilt, not removed.");
    }

    private static async Task<IResult> ListAsync(IImageLayers layers, ClusterStore clusters, CancellationToken cancellationToken) =>
        Results.Ok(await ViewsAsync(layers, clusters, cancellationToken));

    private static async Task<IResult> RemoveAsync(string name, IImageLayers layers, ClusterStore clusters, CancellationToken cancellationToken)
    {
        var image = (await ViewsAsync(layers, clusters, cancellationToken)).FirstOrDefault(i => i.Name == name);
        if (image is null)
        {
            return Problems.NotFound($"An image or layer '{name}' in the site's store");
        }

        if (image.Parent is null)
        {
            return Problems.Invalid([new("name", $"'{name}' is an image, not a layer; images are rebuilt (vcm image build), not removed")]);
        }

        if (image.LiveClusters > 0)
        {
            return Problems.Conflict($"layer {name} is in use: {image.LiveClusters} live cluster(s) boot from it");
        }

        try
        {
            return await layers.RemoveAsync(name, cancellationToken) ? Results.Ok(image) : Problems.NotFound($"A layer '{name}' in the site's store");
        }
        catch (DriverException e)
        {
            return Problems.Conflict(e.Message);
        }
    }

    private static async Task<IReadOnlyList<ImageView>> ViewsAsync(IImageLayers layers, ClusterStore clusters, CancellationToken cancellationToken)
    {
        var uses = await clusters.ImageUsesAsync(cancellationToken);
        return (await layers.ListAsync(cancellationToken))
            .Select(i =>
            {
                var (all, live) = uses.GetValueOrDefault(i.Name);
                return new ImageView(i.Name, i.Parent, i.Bytes, i.MinDiskMb, i.Requested, i.Packages, all, live);
            })
            .ToList();
    }
}
