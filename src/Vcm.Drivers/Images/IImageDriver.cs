namespace Vcm.Drivers.Images;

/// <summary>Keeps base images on one host and makes node disks from them.</summary>
/// <remarks>
/// Contract: <see cref="EnsureImageAsync"/> makes the named image present (copying it from the site's store
/// when missing; a terminal <see cref="DriverException"/> when the image does not exist anywhere).
/// <see cref="EnsureDiskAsync"/> makes a copy-on-write disk over a present image and leaves an existing disk as
/// it is. Delete removes a disk; images stay cached.
/// </remarks>
public interface IImageDriver
{
    Task<EnsureOutcome> EnsureImageAsync(string image, CancellationToken cancellationToken);

    Task<EnsureOutcome> EnsureDiskAsync(DiskSpec spec, CancellationToken cancellationToken);

    Task<DeleteOutcome> DeleteDiskAsync(string name, CancellationToken cancellationToken);

    Task<ImageInventory> ListAsync(CancellationToken cancellationToken);
}
