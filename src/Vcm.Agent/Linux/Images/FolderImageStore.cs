using Vcm.Agent.Linux.Images.Distribution;
using Vcm.Drivers;
using Vcm.Drivers.Images;

namespace Vcm.Agent.Linux.Images;

/// <summary>An image store that is a folder laid out like a host's images/: NAME/manifest.json and NAME/FILE.</summary>
internal sealed class FolderImageStore(string root) : IImageStore
{
    public string Name => $"the image store {root}";

    public async Task<string> ManifestAsync(string image, CancellationToken cancellationToken)
    {
        var path = Path.Combine(root, image, ImageManifest.FileName);
        if (!File.Exists(path))
        {
            throw new DriverException($"image {image} is not in the image store {root}", terminal: true);
        }

        return await File.ReadAllTextAsync(path, cancellationToken);
    }

    public async Task<ChunkList> ChunksAsync(string image, string file, int chunkSize, CancellationToken cancellationToken) =>
        await ChunkListCache.GetAsync(root, image, file, chunkSize, cancellationToken)
        ?? throw new DriverException($"image {image} in the image store {root} lacks {file}, which its manifest lists");

    public Task<Stream> OpenAsync(string image, string file, long offset, long length, CancellationToken cancellationToken)
    {
        var path = Path.Combine(root, image, file);
        if (!File.Exists(path))
        {
            throw new ChunkSourceException($"image {image} in the image store {root} lacks {file}, which its manifest lists");
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        stream.Position = offset;
        return Task.FromResult<Stream>(stream);
    }
}
