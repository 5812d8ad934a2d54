using Vcm.Drivers.Packages;

namespace Vcm.Agent.Linux.Packages;

/// <summary>A package source over an archive in this process (a manager and agent in one process, and tests).</summary>
public sealed class ArchivePackageSource(IPackageArchive archive) : IPackageSource
{
    public async Task<bool> CopyToAsync(ArchivePath path, Stream destination, CancellationToken cancellationToken)
    {
        if (await archive.GetAsync(path, cancellationToken) is not { } file)
        {
            return false;
        }

        await using var source = File.OpenRead(file.Path);
        await source.CopyToAsync(destination, cancellationToken);
        return true;
    }
}
