using System.Collections.Concurrent;
using Vcm.Drivers;
using Vcm.Drivers.Packages;

namespace Vcm.Agent.Linux.Packages;

/// <summary>
/// A host's copy of the site's package repository (<c>HOST/packages/</c>): each file fetched from the source once and
/// kept — pool files and by-hash indexes for good (their names say their content), release files, indexes and the
/// suites list for <see cref="Fresh"/> (then fetched again; the stale copy is served if the source does not answer).
/// A fetch lands in a partial file renamed into place when complete, and one fetch per file serves every asker.
/// </summary>
public sealed class PackageMirror(string directory, IPackageSource source, TimeProvider clock) : IPackageArchive
{
    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, Lazy<Task<PackageFile?>>> _fetches = new(StringComparer.Ordinal);

    public string Directory => directory;

    public async Task<PackageFile?> GetAsync(ArchivePath path, CancellationToken cancellationToken)
    {
        var local = Path.Combine(directory, path.Text);
        var kept = new FileInfo(local);
        if (kept.Exists && (path.Immutable || clock.GetUtcNow() - kept.LastWriteTimeUtc < Fresh))
        {
            return new PackageFile(local, kept.Length);
        }

        var fetch = _fetches.GetOrAdd(local, _ => new Lazy<Task<PackageFile?>>(() => FetchAsync(path, local)));
        try
        {
            return await fetch.Value.WaitAsync(cancellationToken);
        }
        catch (DriverException) when (kept.Exists)
        {
            return new PackageFile(local, kept.Length);
        }
        finally
        {
            if (fetch.Value.IsCompleted)
            {
                _fetches.TryRemove(new KeyValuePair<string, Lazy<Task<PackageFile?>>>(local, fetch));
            }
        }
    }

    private async Task<PackageFile?> FetchAsync(ArchivePath path, string local)
    {
        await Task.Yield();
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        var partial = Path.Combine(Path.GetDirectoryName(local)!, $".{Path.GetFileName(local)}.{Guid.NewGuid():N}.partial");
        try
        {
            bool found;
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write))
            {
                found = await source.CopyToAsync(path, file, CancellationToken.None);
            }

            if (!found)
            {
                File.Delete(local); // gone from the repository: gone from the copy
                return null;
            }

            File.Move(partial, local, overwrite: true);
            return new PackageFile(local, new FileInfo(local).Length);
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
