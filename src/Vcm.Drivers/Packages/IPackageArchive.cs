namespace Vcm.Drivers.Packages;

/// <summary>
/// The site's package cache as an apt repository: the Debian archive's own release files and indexes (so a node's
/// apt checks them with debian-archive-keyring, as it would the mirror's), and the .debs of its pool.
/// </summary>
/// <remarks>
/// Contract: <see cref="GetAsync"/> returns a complete file (a partial download is never visible at its path) or
/// null when the repository has no such file. A .deb the cache lacks is fetched first (once, however many ask at
/// the same time) and checked against the index's SHA-256; a fetch that fails is a <see cref="DriverException"/>.
/// </remarks>
public interface IPackageArchive
{
    Task<PackageFile?> GetAsync(ArchivePath path, CancellationToken cancellationToken);
}
