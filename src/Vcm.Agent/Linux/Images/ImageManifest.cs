using System.Text.Json;

namespace Vcm.Agent.Linux.Images;

/// <summary>
/// images/NAME/manifest.json: what the image driver needs of it — the image's name and each file's SHA-256 and
/// size. The micro image builder writes <c>{ "image": …, "files": [ { "name", "sha256", "size" } ], … }</c>; a
/// <c>{ "name": …, "files": { "FILE": { "sha256", "size" } } }</c> form is read too. Other fields are ignored.
/// </summary>
public sealed record ImageManifest(string Name, IReadOnlyDictionary<string, ImageManifestFile> Files)
{
    /// <summary>A layer's parent image (its base.qcow2 is the layer's backing file), or null.</summary>
    public string? Parent { get; init; }

    /// <summary>The SHA-256 of the parent's base.qcow2 the layer was built over.</summary>
    public string? ParentSha256 { get; init; }

    /// <summary>The smallest node disk the image's file system fits on (MiB), or null when any size does.</summary>
    public long? MinDiskMb { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public const string FileName = "manifest.json";

    /// <summary>Reads a manifest; a malformed one, or one naming a file outside its folder, throws <see cref="FormatException"/>.</summary>
    public static ImageManifest Parse(string json)
    {
        ImageManifest? manifest;
        try
        {
            manifest = Read(json);
        }
        catch (JsonException e)
        {
            throw new FormatException("the image manifest is not valid JSON: " + e.Message, e);
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException("the image manifest is not in a form vcm reads: " + e.Message, e);
        }

        if (manifest?.Files is null || manifest.Files.Count == 0)
        {
            throw new FormatException("the image manifest lists no files");
        }

        foreach (var (file, entry) in manifest.Files)
        {
            if (file.Length == 0 || file[0] == '.' || file.Contains('/', StringComparison.Ordinal) || file == FileName)
            {
                throw new FormatException($"the image manifest lists a file named '{file}'");
            }

            if (entry?.Sha256 is not { Length: 64 } || entry.Size < 0)
            {
                throw new FormatException($"the image manifest gives no valid sha256 and size for '{file}'");
            }
        }

        return manifest;
    }

    private static ImageManifest? Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var name = root.TryGetProperty("image", out var image) ? image.GetString() : root.TryGetProperty("name", out var n) ? n.GetString() : null;
        if (!root.TryGetProperty("files", out var files))
        {
            return null;
        }

        var entries = new Dictionary<string, ImageManifestFile>(StringComparer.Ordinal);
        if (files.ValueKind == JsonValueKind.Array)
        {
            foreach (var file in files.EnumerateArray())
            {
                entries[file.GetProperty("name").GetString() ?? ""] = new ImageManifestFile(file.GetProperty("sha256").GetString() ?? "", file.GetProperty("size").GetInt64());
            }
        }
        else
        {
            foreach (var property in files.EnumerateObject())
            {
                entries[property.Name] = JsonSerializer.Deserialize<ImageManifestFile>(property.Value.GetRawText(), Json)!;
            }
        }

        return new ImageManifest(name ?? "", entries)
        {
            Parent = root.TryGetProperty("parent", out var parent) && parent.ValueKind == JsonValueKind.String ? parent.GetString() : null,
            ParentSha256 = root.TryGetProperty("parentSha256", out var sha) && sha.ValueKind == JsonValueKind.String ? sha.GetString() : null,
            MinDiskMb = root.TryGetProperty("minDiskMb", out var min) && min.ValueKind == JsonValueKind.Number ? min.GetInt64() : null,
        };
    }
}
