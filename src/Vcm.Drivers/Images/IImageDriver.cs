namespace Vcm.Drivers.Images;

/// <summary>Keeps base images on one host and makes node disks from them.</summary>
/// <remarks>
/// Contract: <see cref="EnsureImageAsync"/> makes the named image present (copying it from the site's store
/// when missing; a terminal <see cref="DriverException"/> when the image does not exist anywhere).
/// <see cref="EnsureDiskAsync"/> makes a copy-on-write disk over a present image and leaves an existing disk as
/// it is. Delete removes a disk; images stay cached. An image found damaged on the host (a file that no longer
/// matches its checksum) is copied again and reported <see cref="EnsureOutcome.Updated"/>.
/// </remarks>
public interface IImageDriver
{
    Task<EnsureOutcome> EnsureImageAsync(string image, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="EnsureImageAsync(string, CancellationToken)"/>, copying what it can from <paramref name="peer"/>
    /// (a host that holds or is copying the same image) and the rest from the site's store; a peer that fails or
    /// sends bad bytes is dropped for the store. Drivers that copy nothing ignore the peer.
    /// </summary>
    Task<EnsureOutcome> EnsureImageAsync(string image, ImagePeer? peer, CancellationToken cancellationToken) =>
        EnsureImageAsync(image, cancellationToken);

    Task<EnsureOutcome> EnsureDiskAsync(DiskSpec spec, CancellationToken cancellationToken);

    Task<DeleteOutcome> DeleteDiskAsync(string name, CancellationToken cancellationToken);

    Task<ImageInventory> ListAsync(CancellationToken cancellationToken);
}
