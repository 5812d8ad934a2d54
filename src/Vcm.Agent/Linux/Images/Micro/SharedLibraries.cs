using Vcm.Drivers;

namespace Vcm.Agent.Linux.Images.Micro;

/// <summary>
/// Copies programs out of unpacked Debian packages into an initramfs together with exactly what they need to
/// run: their ELF interpreter and the closure of their DT_NEEDED libraries, searched in the packages given (never
/// on this machine), at the paths the packages install them, symlinks kept as symlinks.
/// </summary>
public sealed class SharedLibraries(IReadOnlyList<DebianPackage> packages)
{
    /// <summary>Where the guest's dynamic loader looks (Debian amd64, no ld.so.cache).</summary>
    private static readonly string[] SearchPath =
        ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"];

    private const int MaxLinks = 16;

    /// <summary>Adds the programs and everything they load; returns the packages that gave files, by name.</summary>
    public IReadOnlyList<DebianPackage> Add(Initramfs initramfs, IEnumerable<string> programs)
    {
        var used = new HashSet<DebianPackage>();
        var queue = new Queue<string>(programs);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (queue.TryDequeue(out var path))
        {
            if (!seen.Add(path))
            {
                continue;
            }

            var (package, file) = Copy(initramfs, path, used);
            var local = package.Local(file);
            if (!ElfFile.IsElf(local))
            {
                continue;
            }

            var elf = ElfFile.Read(local);
            if (elf.Interpreter is { } interpreter)
            {
                queue.Enqueue(interpreter);
            }

            foreach (var soname in elf.Needed)
            {
                queue.Enqueue(Find(soname) ?? throw new DriverException(
                    $"{path} needs {soname}, which none of {string.Join(", ", packages.Select(p => p.Name))} has.", terminal: true));
            }
        }

        return used.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Copies a path (following symlinks, each kept); returns the package and path of the real file.</summary>
    private (DebianPackage Package, string Path) Copy(Initramfs initramfs, string path, HashSet<DebianPackage> used)
    {
        for (var links = 0; links < MaxLinks; links++)
        {
            var package = Owner(path) ?? throw new DriverException(
                $"none of {string.Join(", ", packages.Select(p => p.Name))} has {path}.", terminal: true);
            used.Add(package);
            var info = new FileInfo(package.Local(path));
            if (info.LinkTarget is not { } target)
            {
                initramfs.AddFile(path, File.ReadAllBytes(info.FullName), (int)info.UnixFileMode & 0x1FF);
                return (package, path);
            }

            initramfs.AddSymlink(path, target);
            path = Resolve(path, target);
        }

        throw new DriverException($"{path}: too many levels of symbolic links.", terminal: true);
    }

    private string? Find(string soname)
    {
        foreach (var folder in SearchPath)
        {
            var path = $"{folder}/{soname}";
            if (Owner(path) is not null)
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>The package that has this path (as a file or a symlink, dangling or not here).</summary>
    private DebianPackage? Owner(string path) =>
        packages.FirstOrDefault(p => new FileInfo(p.Local(path)) is var info && (info.LinkTarget is not null || info.Exists));

    /// <summary>A symlink's target as a path in the guest: absolute targets mean the guest's root, not this machine's.</summary>
    private static string Resolve(string link, string target)
    {
        var combined = target.StartsWith('/') ? target : $"{link[..link.LastIndexOf('/')]}/{target}";
        var parts = new List<string>();
        foreach (var part in combined.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }

        return "/" + string.Join('/', parts);
    }
}
