using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using Vcm.Drivers;

namespace Vcm.Agent.Linux.Images.Distribution;

/// <summary>
/// Copies one file into its partial file, chunk by chunk, each chunk checked against the store's chunk list and the
/// whole file at the end. A partial left by an earlier attempt is kept from its last good chunk on; a connection cut
/// mid-chunk is resumed at the byte it stopped (a Range request); only a stall — no byte for the stall window — or
/// repeated failures without progress end the copy. Chunks come from the peer while it serves good bytes, else from
/// the store. Peers may read the partial as it grows (<see cref="TransferProgress"/>).
/// </summary>
internal sealed partial class ChunkedDownload(
    FileTransfer transfer, IChunkSource store, IChunkSource? peer, TransferProgress progress, ImageTransferOptions options, TimeProvider clock, ILogger logger)
{
    private const int BadChunkLimit = 3;
    private IChunkSource? _peer = peer;

    /// <summary>Bytes received from each source (by name), for logs and tests.</summary>
    public Dictionary<string, long> Received { get; } = new(StringComparer.Ordinal);

    private Vcm.Drivers.Images.ChunkList Chunks => transfer.Chunks;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(transfer.PartialPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, FileOptions.Asynchronous);
        var first = await GoodChunksAsync(handle, cancellationToken);
        if (RandomAccess.GetLength(handle) > Chunks.Offset(first))
        {
            RandomAccess.SetLength(handle, Chunks.Offset(first));
        }

        progress.Rewind(Chunks.Offset(first));
        if (first > 0)
        {
            LogResumed(logger, transfer.Host, transfer.Image, transfer.File, Chunks.Offset(first));
        }

        var buffer = new byte[Math.Min(Chunks.ChunkSize, 1 << 20)];
        for (var chunk = first; chunk < Chunks.Count; chunk++)
        {
            await CopyChunkAsync(handle, chunk, buffer, cancellationToken);
        }

        var whole = await HashAsync(handle, 0, Chunks.Size, buffer, cancellationToken);
        if (!string.Equals(whole, Chunks.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            RandomAccess.SetLength(handle, 0);
            throw new DriverException($"{transfer.File} of image {transfer.Image} on host {transfer.Host} has sha256 {whole} after every chunk matched; the store says {Chunks.Sha256}");
        }
    }

    /// <summary>How many chunks from the start of a kept partial are already right.</summary>
    private async Task<int> GoodChunksAsync(SafeFileHandle handle, CancellationToken cancellationToken)
    {
        var length = RandomAccess.GetLength(handle);
        var buffer = new byte[Math.Min(Chunks.ChunkSize, 1 << 20)];
        var chunk = 0;
        while (chunk < Chunks.Count && Chunks.Offset(chunk) + Chunks.Length(chunk) <= length
            && string.Equals(await HashAsync(handle, Chunks.Offset(chunk), Chunks.Length(chunk), buffer, cancellationToken), Chunks.Chunks[chunk], StringComparison.OrdinalIgnoreCase))
        {
            chunk++;
        }

        return chunk;
    }

    private async Task CopyChunkAsync(SafeFileHandle handle, int chunk, byte[] buffer, CancellationToken cancellationToken)
    {
        var bad = 0;
        while (true)
        {
            var source = _peer ?? store;
            string sha;
            try
            {
                sha = await ReceiveAsync(handle, chunk, source, buffer, cancellationToken);
            }
            catch (ChunkSourceException e) when (source == _peer)
            {
                LogPeerDropped(logger, transfer.Host, transfer.Image, transfer.File, source.Name, e.Message);
                _peer = null;
                progress.Rewind(Chunks.Offset(chunk));
                continue;
            }

            if (string.Equals(sha, Chunks.Chunks[chunk], StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            progress.Rewind(Chunks.Offset(chunk));
            LogBadChunk(logger, transfer.Host, transfer.Image, transfer.File, chunk, source.Name);
            if (source == _peer)
            {
                _peer = null;
            }
            else if (++bad >= BadChunkLimit)
            {
                RandomAccess.SetLength(handle, Chunks.Offset(chunk));
                throw new DriverException($"chunk {chunk} of {transfer.File} of image {transfer.Image} from {source.Name} did not match its checksum {bad} times on host {transfer.Host}");
            }
        }
    }

    /// <summary>Receives one chunk from one source into place, resuming at the byte a cut connection stopped; returns its SHA-256.</summary>
    private async Task<string> ReceiveAsync(SafeFileHandle handle, int chunk, IChunkSource source, byte[] buffer, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var position = Chunks.Offset(chunk);
        var end = position + Chunks.Length(chunk);
        var failures = 0;
        while (position < end)
        {
            var before = position;
            using var guard = new StallGuard(options.StallWindow, clock, cancellationToken);
            try
            {
                await using var body = await source.OpenAsync(transfer.Image, transfer.File, position, end - position, guard.Token);
                guard.Progress();
                int read;
                while (position < end && (read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, end - position)), guard.Token)) > 0)
                {
                    guard.Progress();
                    await WriteAsync(handle, buffer.AsMemory(0, read), position, cancellationToken);
                    hash.AppendData(buffer, 0, read);
                    position += read;
                    progress.Advance(position);
                    Received[source.Name] = Received.GetValueOrDefault(source.Name) + read;
                }
            }
            catch (OperationCanceledException e) when (guard.Stalled && !cancellationToken.IsCancellationRequested)
            {
                throw new ChunkSourceException(
                    $"host {transfer.Host} received no byte of {transfer.File} of image {transfer.Image} from {source.Name} for {options.StallWindow.TotalSeconds:0.###} s at offset {position}",
                    stalled: true, e);
            }
            catch (Exception e) when (e is IOException or HttpRequestException or ChunkSourceException { Stalled: false })
            {
                failures = position > before ? 1 : failures + 1;
                LogCut(logger, transfer.Host, transfer.Image, transfer.File, source.Name, position, e.Message);
                if (failures >= options.AttemptsWithoutProgress)
                {
                    throw new ChunkSourceException(
                        $"host {transfer.Host} could not copy {transfer.File} of image {transfer.Image} from {source.Name} past offset {position} ({failures} attempts): {e.Message}", inner: e);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100 * failures), clock, cancellationToken);
                continue;
            }

            if (position < end && position == before)
            {
                // The source ended the body without sending anything: count it as a failed attempt too.
                if (++failures >= options.AttemptsWithoutProgress)
                {
                    throw new ChunkSourceException($"{source.Name} sends nothing of {transfer.File} of image {transfer.Image} at offset {position}");
                }
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private async Task WriteAsync(SafeFileHandle handle, ReadOnlyMemory<byte> bytes, long offset, CancellationToken cancellationToken)
    {
        try
        {
            await RandomAccess.WriteAsync(handle, bytes, offset, cancellationToken);
        }
        catch (IOException e) when (DiskSpace.IsFull(e))
        {
            throw new DiskFullException(Chunks.Size - offset, free: null, e);
        }
        catch (IOException e)
        {
            throw new DriverException($"host {transfer.Host} could not write {transfer.PartialPath}: {e.Message}", e);
        }
    }

    private static async Task<string> HashAsync(SafeFileHandle handle, long offset, long length, byte[] buffer, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var end = offset + length;
        while (offset < end)
        {
            var read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, (int)Math.Min(buffer.Length, end - offset)), offset, cancellationToken);
            if (read == 0)
            {
                break;
            }

            hash.AppendData(buffer, 0, read);
            offset += read;
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "host {Host}: resuming {File} of image {Image} at offset {Offset}")]
    private static partial void LogResumed(ILogger logger, string host, string image, string file, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "host {Host}: {Source} failed for {File} of image {Image}; copying the rest from the store: {Error}")]
    private static partial void LogPeerDropped(ILogger logger, string host, string image, string file, string source, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "host {Host}: chunk {Chunk} of {File} of image {Image} from {Source} did not match its checksum; copying it again")]
    private static partial void LogBadChunk(ILogger logger, string host, string image, string file, int chunk, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "host {Host}: copying {File} of image {Image} from {Source} broke at offset {Offset}, resuming there: {Error}")]
    private static partial void LogCut(ILogger logger, string host, string image, string file, string source, long offset, string error);
}
