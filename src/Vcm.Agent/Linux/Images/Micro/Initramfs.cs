using System.Text;

namespace Vcm.Agent.Linux.Images.Micro;

/// <summary>
/// The file tree of an initramfs, held in memory and written as a newc cpio archive. Parent folders are made as
/// needed; adding a path twice replaces the first entry. The archive is reproducible: entries sorted by path,
/// owner root, mtime 0, inode numbers in that order.
/// </summary>
public sealed class Initramfs
{
    private readonly SortedDictionary<string, InitramfsEntry> _entries = new(StringComparer.Ordinal);

    public IReadOnlyCollection<InitramfsEntry> Entries => _entries.Values;

    public void AddDirectory(string path, int permissions = 0x1ED /* 0755 */)
    {
        path = Normalize(path);
        AddParents(path);
        _entries[path] = new InitramfsEntry(path, InitramfsEntryKind.Directory, permissions, []);
    }

    public void AddFile(string path, byte[] content, int permissions)
    {
        path = Normalize(path);
        AddParents(path);
        _entries[path] = new InitramfsEntry(path, InitramfsEntryKind.File, permissions, content);
    }

    public void AddText(string path, string content, int permissions = 0x1A4 /* 0644 */) =>
        AddFile(path, Encoding.UTF8.GetBytes(content), permissions);

    public void AddSymlink(string path, string target)
    {
        path = Normalize(path);
        AddParents(path);
        _entries[path] = new InitramfsEntry(path, InitramfsEntryKind.Symlink, 0x1FF, Encoding.UTF8.GetBytes(target));
    }

    public void AddCharDevice(string path, int major, int minor, int permissions)
    {
        path = Normalize(path);
        AddParents(path);
        _entries[path] = new InitramfsEntry(path, InitramfsEntryKind.CharDevice, permissions, []) { Device = (major, minor) };
    }

    public bool Contains(string path) => _entries.ContainsKey(Normalize(path));

    /// <summary>Writes the tree as a newc cpio archive (uncompressed).</summary>
    public void WriteCpio(Stream output)
    {
        var writer = new CpioNewcWriter(output);
        var inode = 1;
        foreach (var entry in _entries.Values)
        {
            writer.Write(entry, inode++);
        }

        writer.WriteTrailer();
    }

    private void AddParents(string path)
    {
        var slash = path.LastIndexOf('/');
        while (slash > 0)
        {
            var parent = path[..slash];
            if (!_entries.ContainsKey(parent))
            {
                _entries[parent] = new InitramfsEntry(parent, InitramfsEntryKind.Directory, 0x1ED, []);
            }

            slash = parent.LastIndexOf('/');
        }
    }

    private static string Normalize(string path)
    {
        var trimmed = path.Trim('/');
        if (trimmed.Length == 0 || trimmed.Split('/').Any(part => part is "" or "." or ".."))
        {
            throw new ArgumentException($"'{path}' is not a path inside the initramfs.", nameof(path));
        }

        return trimmed;
    }
}
