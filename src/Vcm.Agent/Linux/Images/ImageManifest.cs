using System.Text.Json;

namespace Vcm.Agent.Linux.Images;

/// <summary>
/// images/NAME/manifest.json as the image builder writes it: <c>{ "name": …, "files": { "FILE": { "sha256": …,
/// "size": … } }, … }</c>. Only what the image driver needs is read; other fields are ignored.
/// </summary>
public sealed record ImageManifest(string Name, IReadOnlyDictionary<string, ImageManifestFile> Files)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public const string FileName = "manifest.json";

    /// <summary>Reads a manifest; a malformed one, or one naming a file outside its folder, throws <see cref="FormatException"/>.</summary>
    public static ImageManifest Parse(string json)
    {
        ImageManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ImageManifest>(json, Json);
        }
        catch (JsonException e)
        {
            throw new FormatException("the image manifest is not valid JSON: " + e.Message, e);
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
}
