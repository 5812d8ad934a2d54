using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Vcm.Agent.Linux.Images;

/// <summary>
/// A host's image cache, one folder per version of an image: images/NAME@VERSION/ (VERSION from the image's files,
/// <see cref="VersionOf"/>), and images/NAME@current, a one-line file naming the folder new disks are made from. A
/// disk's backing file names a version folder, never "current", and a layer's names its parent's version folder
/// (<c>../PARENT@VERSION/base.qcow2</c>), so a rebuilt image in the store reaches the hosts as a new folder beside the
/// old one and changes no disk made before; a version that is not current and that no disk's backing chain reaches
/// is removed (<see cref="Collect"/>). A folder images/NAME/ from before versions is still read as a version of NAME.
/// </summary>
public sealed class ImageCache(string root)
{
    /// <summary>The kernel every image folder holds (a layer's is its parent's).</summary>
    public const string KernelFile = "vmlinuz";

    private const int MaxChain = 16;

    private static ReadOnlySpan<byte> Qcow2Magic => [(byte)'Q', (byte)'F', (byte)'I', 0xfb];

    /// <summary>images/ (a full path).</summary>
    public string Root { get; } = Path.GetFullPath(root).TrimEnd('/');

    /// <summary>
    /// The version of an image: the first 16 hex digits of its base.qcow2's SHA-256 (so a layer's ParentSha256 names its
    /// parent's version), or of a digest of every file's SHA-256 when it has no base.qcow2.
    /// </summary>
    public static string VersionOf(IReadOnlyDictionary<string, ImageManifestFile> files)
    {
        if (files.TryGetValue("base.qcow2", out var disk))
        {
            return disk.Sha256[..16].ToLowerInvariant();
        }

        var text = string.Join('\n', files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} {f.Value.Sha256.ToLowerInvariant()}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    /// <summary>The version a layer's parent must have: the one it was built over.</summary>
    public static string? ParentVersionOf(ImageManifest layer) => layer.ParentSha256 is { Length: >= 16 } sha ? sha[..16].ToLowerInvariant() : null;

    /// <summary>images/NAME@VERSION.</summary>
    public string Folder(string name, string version) => Path.Combine(Root, $"{name}@{version}");

    /// <summary>images/.NAME@VERSION.partial: where a copy is made (a fixed name, so the next attempt resumes it).</summary>
    public string Partial(string name, string version) => Path.Combine(Root, $".{name}@{version}.partial");

    private string CurrentFile(string name) => Path.Combine(Root, $"{name}@current");

    private string Legacy(string name) => Path.Combine(Root, name);

    /// <summary>The folder that holds version <paramref name="version"/> of the image, or null.</summary>
    public string? Find(string name, string version)
    {
        if (HasManifest(Folder(name, version)))
        {
            return Folder(name, version);
        }

        return HasManifest(Legacy(name)) && ReadManifest(Legacy(name)) is { } old && VersionOf(old.Files) == version ? Legacy(name) : null;
    }

    /// <summary>The folder new disks of the image are made from, or null when the host has none.</summary>
    public string? Current(string name)
    {
        try
        {
            var folder = File.ReadAllText(CurrentFile(name)).Trim();
            if (folder.Length > 0 && !folder.Contains('/', StringComparison.Ordinal) && HasManifest(Path.Combine(Root, folder)))
            {
                return Path.Combine(Root, folder);
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
        }

        return HasManifest(Legacy(name)) ? Legacy(name) : null;
    }

    /// <summary>Makes <paramref name="folder"/> (a folder of this cache) the image's current one, atomically.</summary>
    public void SetCurrent(string name, string folder)
    {
        var temp = Path.Combine(Root, $".{name}@current.{Guid.NewGuid():N}");
        File.WriteAllText(temp, Path.GetFileName(folder) + "\n");
        File.Move(temp, CurrentFile(name), overwrite: true);
    }

    /// <summary>Every image that has a current folder.</summary>
    public IReadOnlyList<string> Names()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        return Directory.EnumerateFileSystemEntries(Root).Select(Path.GetFileName).OfType<string>()
            .Where(n => n[0] != '.')
            .Select(n => n.EndsWith("@current", StringComparison.Ordinal) ? n[..^"@current".Length] : n.Contains('@', StringComparison.Ordinal) ? null : n)
            .OfType<string>().Distinct(StringComparer.Ordinal)
            .Where(n => Current(n) is not null)
            .Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Removes every image folder that is not current and that no disk's backing chain (through layers) reaches;
    /// returns the folders removed. Partial copies are kept (the next copy resumes them).
    /// </summary>
    public IReadOnlyList<string> Collect(IEnumerable<string> disks)
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        var kept = new HashSet<string>(StringComparer.Ordinal);
        var starts = disks.ToList();
        foreach (var name in Names())
        {
            var current = Current(name)!;
            kept.Add(Path.GetFileName(current));
            starts.Add(Path.Combine(current, "base.qcow2"));
        }

        foreach (var start in starts)
        {
            var file = start;
            for (var i = 0; i < MaxChain && File.Exists(file) && BackingFile(file) is { } backing; i++)
            {
                if (Path.GetDirectoryName(Path.GetDirectoryName(backing)) == Root)
                {
                    kept.Add(Path.GetFileName(Path.GetDirectoryName(backing)!));
                }

                file = backing;
            }
        }

        var removed = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories(Root))
        {
            var name = Path.GetFileName(folder);
            if (name[0] == '.' || kept.Contains(name) || !HasManifest(folder))
            {
                continue;
            }

            var aside = Path.Combine(Root, $".{name}.removed.{Guid.NewGuid():N}");
            Directory.Move(folder, aside);
            Directory.Delete(aside, recursive: true);
            removed.Add(name);
        }

        return removed;
    }

    /// <summary>
    /// The folder whose kernel a VM with this disk boots: the one holding the disk's backing file (the image version
    /// the disk was made from), when it has a kernel; null otherwise.
    /// </summary>
    public static string? BootFolder(string disk)
    {
        if (!File.Exists(disk) || BackingFile(disk) is not { } backing)
        {
            return null;
        }

        var folder = Path.GetDirectoryName(backing)!;
        return File.Exists(Path.Combine(folder, KernelFile)) ? folder : null;
    }

    /// <summary>A qcow2 file's backing file as a full path (a relative one is relative to the file's folder), or null when it has none or is no qcow2.</summary>
    public static string? BackingFile(string qcow2)
    {
        using var file = new FileStream(qcow2, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Span<byte> header = stackalloc byte[20];
        if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length
            || !header[..4].SequenceEqual(Qcow2Magic))
        {
            return null;
        }

        var offset = BinaryPrimitives.ReadUInt64BigEndian(header[8..]);
        var size = BinaryPrimitives.ReadUInt32BigEndian(header[16..]);
        if (offset == 0 || size is 0 or > 1023 || offset > (ulong)file.Length)
        {
            return null;
        }

        var name = new byte[size];
        file.Position = (long)offset;
        if (file.ReadAtLeast(name, name.Length, throwOnEndOfStream: false) < name.Length)
        {
            return null;
        }

        var path = Encoding.UTF8.GetString(name);
        return Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(qcow2))!, path));
    }

    private static bool HasManifest(string folder) => File.Exists(Path.Combine(folder, ImageManifest.FileName));

    /// <summary>The manifest in an image folder, or null when it is missing or unreadable.</summary>
    public static ImageManifest? ReadManifest(string folder)
    {
        try
        {
            return ImageManifest.Parse(File.ReadAllText(Path.Combine(folder, ImageManifest.FileName)));
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            return null;
        }
    }
}
