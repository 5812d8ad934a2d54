using System.CommandLine;
using System.Globalization;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Images;

/// <summary>vcm image list</summary>
public static class ImageListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "The site's images and package-set layers: size, parent, packages, and how many clusters booted from each.");
        command.SetAction(async (cli, ct) =>
        {
            var images = await cli.Client().ListImagesAsync(ct);
            if (cli.Json)
            {
                cli.WriteJson(images);
                return ExitCodes.Ok;
            }

            Table.Write(
                ["image", "parent", "size", "min disk", "packages", "clusters", "live"],
                images.Select(i => new[]
                {
                    i.Name,
                    i.Parent ?? "-",
                    $"{i.SizeBytes / (1024.0 * 1024):0} MiB",
                    i.MinDiskMb > 0 ? $"{i.MinDiskMb} MiB" : "-",
                    i.Requested.Count > 0 ? $"{string.Join(",", i.Requested)} ({i.Packages})" : i.Packages.ToString(CultureInfo.InvariantCulture),
                    i.Clusters.ToString(CultureInfo.InvariantCulture),
                    i.LiveClusters.ToString(CultureInfo.InvariantCulture),
                }));
            return ExitCodes.Ok;
        });
        return command;
    }
}
