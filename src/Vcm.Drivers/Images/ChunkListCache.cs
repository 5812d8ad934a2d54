using System.Globalization;
using System.Text.Json;

namespace Vcm.Drivers.Images;

/// <summary>
/// The chunk lists of a store's files, computed once and kept in STORE/.cache/chunks/IMAGE/FILE.SIZE.json with the
/// file's size and modification time: a list is computed again only when its file changed (a rebuilt image).
/// </summary>
public static class ChunkListCache
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The chunk list of STORE/IMAGE/FILE, or null when there is no such file.</summary>
    public static async Task<ChunkList?> GetAsync(string store, string image, string file, int chunkSize, CancellationToken cancellationToken)
    {
        var info = new FileInfo(Path.Combine(store, image, file));
        if (!info.Exists)
        {
            return null;
        }

        var stamp = Stamp(info);
        var cached = Path.Combine(store, ".cache", "chunks", image, $"{file}.{chunkSize.ToString(CultureInfo.InvariantCulture)}.json");
        if (File.Exists(cached))
        {
            try
            {
                var entry = JsonSerializer.Deserialize<Entry>(await File.ReadAllTextAsync(cached, cancellationToken), Json);
                if (entry is not null && entry.Stamp == stamp)
                {
                    return entry.List;
                }
            }
            catch (JsonException)
            {
                // A damaged cache entry is computed again.
            }
        }

        var list = await ChunkList.ComputeAsync(info.FullName, chunkSize, cancellationToken);
        info.Refresh();
        if (Stamp(info) == stamp)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
            var scratch = $"{cached}.{Guid.NewGuid():N}.tmp";
            await File.WriteAllTextAsync(scratch, JsonSerializer.Serialize(new Entry(stamp, list), Json), cancellationToken);
            File.Move(scratch, cached, overwrite: true);
        }

        return list;
    }

    private static string Stamp(FileInfo info) =>
        $"{info.Length.ToString(CultureInfo.InvariantCulture)}@{info.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)}";

    private sealed record Entry(string Stamp, ChunkList List);
}
