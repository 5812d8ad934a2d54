using System.Globalization;
using System.Text.Json;

namespace Vcm.Agent.Linux.Images.Distribution;

/// <summary>
/// images/NAME/.verified.json: each file's size and modification time when its SHA-256 last matched the manifest. An
/// image is checked on every use by these stamps (a stat per file); a file whose stamp changed — or that has none —
/// is hashed again in full, and copied again when it no longer matches. Damage that keeps size and time (bit rot
/// under an unchanged inode) is not seen by the stamp.
/// </summary>
internal static class VerifiedStamps
{
    public const string FileName = ".verified.json";

    /// <summary>The files of the manifest whose stamp is missing or differs from the file on disk.</summary>
    public static IReadOnlyList<string> Changed(string folder, IEnumerable<string> files)
    {
        var stamps = Read(folder);
        return files.Where(f => !stamps.TryGetValue(f, out var stamp) || stamp != Stamp(Path.Combine(folder, f))).ToList();
    }

    /// <summary>Records the files' current stamps (they were just checked), keeping the others'.</summary>
    public static void Record(string folder, IEnumerable<string> files)
    {
        var stamps = Read(folder);
        foreach (var file in files)
        {
            stamps[file] = Stamp(Path.Combine(folder, file));
        }

        var path = Path.Combine(folder, FileName);
        var scratch = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(scratch, JsonSerializer.Serialize(stamps));
        File.Move(scratch, path, overwrite: true);
    }

    private static Dictionary<string, string> Read(string folder)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(folder, FileName))) ?? [];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return [];
        }
    }

    private static string Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists
            ? $"{info.Length.ToString(CultureInfo.InvariantCulture)}@{info.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)}"
            : "absent";
    }
}
