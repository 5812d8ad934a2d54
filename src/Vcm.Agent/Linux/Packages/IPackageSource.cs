using Vcm.Drivers.Packages;

namespace Vcm.Agent.Linux.Packages;

/// <summary>Where a host's copy of the site's package repository comes from (the manager, or an archive in this process).</summary>
public interface IPackageSource
{
    /// <summary>Copies the file at <paramref name="path"/> into <paramref name="destination"/>; false when the repository has none.</summary>
    Task<bool> CopyToAsync(ArchivePath path, Stream destination, CancellationToken cancellationToken);
}
