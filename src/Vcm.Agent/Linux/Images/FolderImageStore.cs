using Vcm.Drivers;

namespace Vcm.Agent.Linux.Images;

/// <summary>An image store that is a folder laid out like a host's images/: NAME/manifest.json and NAME/FILE.</summary>
internal sealed class FolderImageStore(string root) : IImageStore
{
    public async Task<string> ManifestAsync(string image, CancellationToken cancellationToken)
    {
        var path = Path.Combine(root, image, ImageManifest.FileName);
        if (!File.Exists(path))
        {
            throw new DriverException($"image {image} is not in the image store {root}", terminal: true);
        }

        return await File.ReadAllTextAsync(path, cancellationToken);
    }

    public async Task CopyFileAsync(string image, string file, Stream destination, CancellationToken cancellationToken)
    {
        var path = Path.Combine(root, image, file);
        if (!File.Exists(path))
        {
            throw new DriverException($"image {image} in the image store {root} lacks {file}, which its manifest lists");
        }

        await using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        await source.CopyToAsync(destination, 1 << 20, cancellationToken);
    }
}
