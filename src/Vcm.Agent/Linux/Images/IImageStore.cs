using Vcm.Agent.Linux.Images.Distribution;
using Vcm.Drivers.Images;

namespace Vcm.Agent.Linux.Images;

/// <summary>Where a host fetches images from: the site's image store (a folder or the manager's HTTP API).</summary>
internal interface IImageStore : IChunkSource
{
    /// <summary>The image's manifest.json as stored; a <see cref="Vcm.Drivers.DriverException"/> (terminal) when there is no such image.</summary>
    Task<string> ManifestAsync(string image, CancellationToken cancellationToken);

    /// <summary>How FILE of IMAGE is cut into chunks of <paramref name="chunkSize"/> bytes, with each chunk's SHA-256.</summary>
    Task<ChunkList> ChunksAsync(string image, string file, int chunkSize, CancellationToken cancellationToken);
}
