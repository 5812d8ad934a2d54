using Vcm.Drivers;
using Vcm.Drivers.Packages;

namespace Vcm.Manager.Tests.Http;

/// <summary>A package cache whose mirror cannot be reached: every file fails as a driver error.</summary>
internal sealed class FailingPackageArchive : IPackageArchive
{
    public Task<PackageFile?> GetAsync(ArchivePath path, CancellationToken cancellationToken) =>
        throw new DriverException("the mirror did not answer");
}
