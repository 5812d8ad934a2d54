using Vcm.Drivers.Processes;

namespace Vcm.Agent.Linux.Images;

/// <summary>
/// How image and layer builds use the store: everything is made in a dot-folder beside the final name, cleared at the
/// start of every build (a killed build leaves one behind), and the finished folder is renamed into place.
/// </summary>
public static class ImageBuildFolder
{
    /// <summary>Removes a work folder, unmounting first what a killed build may have left mounted under it.</summary>
    public static async Task ClearAsync(IProcessRunner runner, string work, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(work))
        {
            return;
        }

        var full = Path.GetFullPath(work) + "/";
        var mounts = (await File.ReadAllLinesAsync("/proc/self/mounts", cancellationToken))
            .Select(l => l.Split(' ')).Where(f => f.Length > 1).Select(f => f[1].Replace("\\040", " ", StringComparison.Ordinal))
            .Where(m => m.StartsWith(full, StringComparison.Ordinal))
            .OrderByDescending(m => m.Length).ToList();
        foreach (var mount in mounts)
        {
            await runner.RunAsync(ProcessSpec.Of("umount", "-l", mount), cancellationToken);
        }

        Directory.Delete(work, recursive: true);
    }

    /// <summary>Renames the finished folder into place; an older one there is moved aside first and then removed.</summary>
    public static void Publish(string built, string final)
    {
        string? old = null;
        if (Directory.Exists(final))
        {
            old = Path.Combine(Path.GetDirectoryName(final)!, $".{Path.GetFileName(final)}.old.{Guid.NewGuid():N}");
            Directory.Move(final, old);
        }

        Directory.Move(built, final);
        if (old is not null)
        {
            Directory.Delete(old, recursive: true);
        }

        LinkVersion(final);
    }

    /// <summary>
    /// NAME@VERSION beside the store's folder NAME, a relative link to it: the name a layer's backing file gives its
    /// parent (as in a host's <see cref="ImageCache"/>), so that the store resolves a layer's chain as hosts do. The
    /// links of NAME's earlier versions go (layers over those are no longer built over anything the store has).
    /// </summary>
    public static void LinkVersion(string folder)
    {
        UnlinkVersions(folder);
        if (ImageCache.ReadManifest(folder) is { } manifest)
        {
            var name = Path.GetFileName(folder);
            Directory.CreateSymbolicLink(Path.Combine(Path.GetDirectoryName(folder)!, $"{name}@{ImageCache.VersionOf(manifest.Files)}"), name);
        }
    }

    /// <summary>Removes every NAME@… link beside the store's folder NAME.</summary>
    public static void UnlinkVersions(string folder)
    {
        var store = Path.GetDirectoryName(folder)!;
        if (!Directory.Exists(store))
        {
            return;
        }

        foreach (var link in Directory.EnumerateFileSystemEntries(store, Path.GetFileName(folder) + "@*").Where(l => new FileInfo(l).LinkTarget is not null))
        {
            File.Delete(link);
        }
    }
}
