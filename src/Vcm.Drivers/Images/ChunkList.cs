using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace Vcm.Drivers.Images;

/// <summary>
/// How one file of an image is cut for transfer: chunks of <see cref="ChunkSize"/> bytes (the last one shorter), the
/// SHA-256 (hex) of each, and of the whole file. A receiver checks every chunk as it arrives and the whole file at
/// the end; the list always comes from the site's store, whoever sends the bytes.
/// </summary>
public sealed record ChunkList(long Size, int ChunkSize, string Sha256, IReadOnlyList<string> Chunks)
{
    /// <summary>Chunk sizes a store cuts files into: a power of two from 64 KiB to 64 MiB.</summary>
    public static bool IsValidChunkSize(long size) => size is >= 64 * 1024 and <= 64 * 1024 * 1024 && (size & (size - 1)) == 0;

    public const int DefaultChunkSize = 8 * 1024 * 1024;

    [JsonIgnore]
    public int Count => Chunks.Count;

    public long Offset(int chunk) => (long)chunk * ChunkSize;

    public int Length(int chunk) => (int)Math.Min(ChunkSize, Size - Offset(chunk));

    /// <summary>Reads the file once, hashing each chunk and the whole.</summary>
    public static async Task<ChunkList> ComputeAsync(string path, int chunkSize, CancellationToken cancellationToken)
    {
        if (!IsValidChunkSize(chunkSize))
        {
            throw new ArgumentOutOfRangeException(nameof(chunkSize), chunkSize, "a chunk size is a power of two from 64 KiB to 64 MiB");
        }

        await using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
        using var whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunks = new List<string>();
        var buffer = new byte[chunkSize];
        long size = 0;
        while (true)
        {
            var filled = 0;
            int read;
            while (filled < chunkSize && (read = await input.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += read;
            }

            if (filled == 0)
            {
                break;
            }

            whole.AppendData(buffer, 0, filled);
            chunks.Add(Convert.ToHexStringLower(SHA256.HashData(buffer.AsSpan(0, filled))));
            size += filled;
            if (filled < chunkSize)
            {
                break;
            }
        }

        return new ChunkList(size, chunkSize, Convert.ToHexStringLower(whole.GetHashAndReset()), chunks);
    }
}
