namespace Vcm.Agent.Linux.Images;

/// <summary>Where a host fetches images from: the site's image store (a folder or the manager's HTTP API).</summary>
internal interface IImageStore
{
    /// <summary>The image's manifest.json as stored; a <see cref="Vcm.Drivers.DriverException"/> (terminal) when there is no such image.</summary>
    Task<string> ManifestAsync(string image, CancellationToken cancellationToken);

    /// <summary>Writes one file of the image to <paramref name="destination"/>.</summary>
    Task CopyFileAsync(string image, string file, Stream destination, CancellationToken cancellationToken);
}
