namespace Vcm.Drivers.Storage;

/// <summary>Serves volumes from one storage host.</summary>
/// <remarks>
/// Contract: idempotent and keyed by name. Ensure creates the backing store and the export, or updates the ACL
/// of an existing export to exactly the given initiators; it never shrinks or wipes an existing volume. Delete
/// removes the export and the backing store.
/// </remarks>
public interface IStorageDriver
{
    Task<Ensured<VolumeStatus>> EnsureVolumeAsync(VolumeSpec spec, CancellationToken cancellationToken);

    Task<DeleteOutcome> DeleteVolumeAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<VolumeStatus>> ListVolumesAsync(CancellationToken cancellationToken);
}
