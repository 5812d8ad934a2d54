using Vcm.Agent.Linux.Images.Distribution;
using Vcm.Agent.Linux.Images.Micro;
using Vcm.Drivers;
using Vcm.Drivers.Images;

namespace Vcm.Agent.Linux.Images;

public sealed partial class QcowImageDriver
{
    private const int MaxParents = 8;

    /// <summary>Present, with every file (and every parent's) as it was when last checked.</summary>
    private bool IsIntact(string image, int depth)
    {
        if (depth > MaxParents || !IsPresent(image) || LocalManifest(image) is not { } manifest)
        {
            return false;
        }

        return VerifiedStamps.Changed(Paths.Image(image), manifest.Files.Keys).Count == 0
            && (manifest.Parent is not { } parent || IsIntact(parent, depth + 1));
    }

    private ImageManifest? LocalManifest(string image)
    {
        try
        {
            return ImageManifest.Parse(File.ReadAllText(Path.Combine(Paths.Image(image), ImageManifest.FileName)));
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Makes the image and its parents present and intact: copied when missing, damaged files copied again.</summary>
    private async Task<EnsureOutcome> EnsureTreeAsync(string image, ImagePeer? peer, int depth, CancellationToken cancellationToken)
    {
        CheckName(image, "an image");
        if (depth > MaxParents)
        {
            throw new DriverException($"image {image} has more than {MaxParents} parents", terminal: true);
        }

        if (!IsPresent(image) || LocalManifest(image) is not { } manifest)
        {
            await FetchAsync(image, peer, depth, cancellationToken);
            return EnsureOutcome.Created;
        }

        var outcome = EnsureOutcome.Unchanged;
        if (manifest.Parent is { } parent && await EnsureTreeAsync(parent, peer, depth + 1, cancellationToken) != EnsureOutcome.Unchanged)
        {
            outcome = EnsureOutcome.Updated;
        }

        return await RepairAsync(image, manifest, peer, cancellationToken) ? EnsureOutcome.Updated : outcome;
    }

    /// <summary>Copies the image into images/.NAME.partial (resuming what an earlier attempt left), checks every file, then renames the folder into place.</summary>
    private async Task FetchAsync(string image, ImagePeer? peer, int depth, CancellationToken cancellationToken)
    {
        var manifestJson = await _store.ManifestAsync(image, cancellationToken);
        ImageManifest manifest;
        try
        {
            manifest = ImageManifest.Parse(manifestJson);
        }
        catch (FormatException e)
        {
            throw new DriverException($"image {image}: {e.Message}", terminal: true, e);
        }

        if (manifest.Parent is { } parent)
        {
            // A layer: its base.qcow2 is backed by ../PARENT/base.qcow2, which must be the very file it was built over.
            await EnsureTreeAsync(parent, peer, depth + 1, cancellationToken);
            var here = LocalManifest(parent);
            if (here is null || !here.Files.TryGetValue("base.qcow2", out var parentDisk) || !string.Equals(parentDisk.Sha256, manifest.ParentSha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new DriverException($"layer {image} was built over another {parent} than the one on {_context.HostName}; rebuild the layer", terminal: true);
            }
        }

        var temp = Path.Combine(ImagesRoot, $".{image}.partial");
        Directory.CreateDirectory(temp);
        var done = false;
        try
        {
            foreach (var stray in Directory.EnumerateFiles(temp).Where(f => !manifest.Files.ContainsKey(Path.GetFileName(f))))
            {
                File.Delete(stray);
            }

            EnsureSpace(image, manifest.Files.Select(f => (f.Value.Size, Path.Combine(temp, f.Key))));
            var peerSource = peer is null ? null : new PeerChunkSource(_http, peer);
            foreach (var (file, expected) in manifest.Files)
            {
                await CopyFileAsync(image, file, expected, Path.Combine(temp, file), peerSource, cancellationToken);
            }

            await File.WriteAllTextAsync(Path.Combine(temp, ImageManifest.FileName), manifestJson, cancellationToken);
            VerifiedStamps.Record(temp, manifest.Files.Keys);
            Directory.Move(temp, Paths.Image(image));
            done = true;
            LogImageFetched(_logger, image, manifest.Files.Count, manifest.Files.Values.Sum(f => f.Size));
        }
        catch (DiskFullException e)
        {
            Directory.Delete(temp, recursive: true);
            throw DiskSpace.Full(_context.HostName, ImagesRoot, image, e);
        }
        catch (DriverException e) when (e.Terminal)
        {
            Directory.Delete(temp, recursive: true);
            throw;
        }
        finally
        {
            foreach (var file in manifest.Files.Keys)
            {
                _transfers.Forget(image, file);
            }

            if (!done)
            {
                LogKeptPartial(_logger, _context.HostName, image, temp);
            }
        }
    }

    /// <summary>Checks each file whose stamp changed against its manifest and copies a damaged one again; true when any was.</summary>
    private async Task<bool> RepairAsync(string image, ImageManifest manifest, ImagePeer? peer, CancellationToken cancellationToken)
    {
        var folder = Paths.Image(image);
        var repaired = false;
        foreach (var file in VerifiedStamps.Changed(folder, manifest.Files.Keys))
        {
            var path = Path.Combine(folder, file);
            var expected = manifest.Files[file];
            if (File.Exists(path) && new FileInfo(path).Length == expected.Size
                && string.Equals(await MicroImageManifest.Sha256Async(path, cancellationToken), expected.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                VerifiedStamps.Record(folder, [file]);
                continue;
            }

            LogDamaged(_logger, _context.HostName, image, file);
            var partial = Path.Combine(folder, $".{file}.partial");
            try
            {
                EnsureSpace(image, [(expected.Size, partial)]);
                await CopyFileAsync(image, file, expected, partial, peer is null ? null : new PeerChunkSource(_http, peer), cancellationToken);
                File.Move(partial, path, overwrite: true);
            }
            catch (DiskFullException e)
            {
                File.Delete(partial);
                throw DiskSpace.Full(_context.HostName, ImagesRoot, image, e);
            }
            finally
            {
                _transfers.Forget(image, file);
            }

            VerifiedStamps.Record(folder, [file]);
            repaired = true;
        }

        return repaired;
    }

    /// <summary>Copies one file into its partial place in checked chunks; the caller moves it into place.</summary>
    private async Task CopyFileAsync(string image, string file, ImageManifestFile expected, string partial, IChunkSource? peer, CancellationToken cancellationToken)
    {
        var chunks = await _store.ChunksAsync(image, file, Transfer.ChunkSize, cancellationToken);
        if (chunks.Size != expected.Size || !string.Equals(chunks.Sha256, expected.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new DriverException($"{file} of image {image} in the store ({chunks.Size} bytes, sha256 {chunks.Sha256}) does not match its manifest ({expected.Size} bytes, sha256 {expected.Sha256})");
        }

        var progress = _transfers.Begin(image, file, partial, chunks.Size);
        var complete = false;
        try
        {
            var download = new ChunkedDownload(new FileTransfer(_context.HostName, image, file, chunks, partial), _store, peer, progress, Transfer, _context.Clock, _logger);
            await download.RunAsync(cancellationToken);
            complete = true;
            LogFileCopied(_logger, _context.HostName, image, file, string.Join(", ", download.Received.Select(r => $"{r.Value} bytes from {r.Key}")));
        }
        finally
        {
            if (complete)
            {
                TransferRegistry.Complete(progress);
            }
            else
            {
                _transfers.Abandon(image, file, progress);
            }
        }
    }

    /// <summary>Refuses to start a copy the disk cannot hold: (size, partial file) of each file still to copy.</summary>
    private void EnsureSpace(string image, IEnumerable<(long Size, string Partial)> files)
    {
        var need = files.Sum(f => Math.Max(0, f.Size - (File.Exists(f.Partial) ? new FileInfo(f.Partial).Length : 0)));
        var free = DiskSpace.Free(ImagesRoot, Transfer);
        if (free < need)
        {
            throw new DiskFullException(need, free);
        }
    }
}
