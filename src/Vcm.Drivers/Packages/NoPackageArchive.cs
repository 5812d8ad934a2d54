namespace Vcm.Drivers.Packages;

/// <summary>A site with no package repository (simulated hosts): every path is absent.</summary>
public sealed class NoPackageArchive : IPackageArchive
{
    public Task<PackageFile?> GetAsync(ArchivePath path, CancellationToken cancellationToken) => Task.FromResult<PackageFile?>(null);
}
