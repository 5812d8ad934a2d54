using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Vcm.Agent.Linux.Images.Micro;

/// <summary>
/// manifest.json of a built `micro` image: what it is, the hash and size of each file, the Debian packages (and
/// versions) it was made from, and the builder version. A layer (a package set over a Debian image) also names its
/// parent image, the SHA-256 of the parent's base.qcow2 it was built over, and the packages asked for. It holds no
/// time, so the same inputs give the same bytes.
/// </summary>
public sealed record MicroImageManifest(
    string Image,
    string BuilderVersion,
    string KernelRelease,
    IReadOnlyList<MicroImageFile> Files,
    IReadOnlyList<MicroImagePackage> Packages,
    string? Parent = null,
    string? ParentSha256 = null,
    IReadOnlyList<string>? Requested = null,
    long? MinDiskMb = null)
{
    /// <summary>Beside each Debian image and layer: the dpkg database of its root file system, to resolve package sets against.</summary>
    public const string DpkgStatusFile = "dpkg.status";

    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a file, never HTML: keep '+' in versions readable
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    public static MicroImageManifest Parse(string json) =>
        JsonSerializer.Deserialize<MicroImageManifest>(json, Json) ?? throw new InvalidDataException("manifest.json is empty.");

    /// <summary>The manifest of the image in <paramref name="directory"/>, or null when there is none.</summary>
    public static async Task<MicroImageManifest?> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, FileName);
        return File.Exists(path) ? Parse(await File.ReadAllTextAsync(path, cancellationToken)) : null;
    }

    /// <summary>The files of the image whose size or SHA-256 differ from the manifest (or are missing); empty when whole.</summary>
    public async Task<IReadOnlyList<string>> DamagedFilesAsync(string directory, CancellationToken cancellationToken)
    {
        var damaged = new List<string>();
        foreach (var file in Files)
        {
            var path = Path.Combine(directory, file.Name);
            if (!File.Exists(path) || new FileInfo(path).Length != file.Size || await Sha256Async(path, cancellationToken) != file.Sha256)
            {
                damaged.Add(file.Name);
            }
        }

        return damaged;
    }

    public static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
