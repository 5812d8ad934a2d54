using Vcm.Agent.Linux.Images.Distribution;
using Vcm.Agent.Linux.Images.Micro;
using Vcm.Drivers;
using Vcm.Drivers.Images;

namespace Vcm.Agent.Linux.Images;

public sealed partial class QcowImageDriver
{
    private const int MaxParents = 8;

    /// <summary>The folder's every file (and every parent's) as it was when last checked.</summary>
    private bool IsIntact(string folder, ImageManifest manifest, int depth)
    {
        if (depth > MaxParents || VerifiedStamps.Changed(folder, manifest.Files.Keys).Count != 0)
        {
            return false;
        }

        if (manifest.Parent is not { } parent)
        {
            return true;
        }

        var parentFolder = ImageCache.ParentVersionOf(manifest) is { } version ? Cache.Find(parent, version) : Cache.Current(parent);
        return parentFolder is not null && ImageCache.ReadManifest(parentFolder) is { } parentManifest && IsIntact(parentFolder, parentManifest, depth + 1);
    }

    /// <summary>
    /// Makes the store's version of the image (and of its parents) present and intact in its own folder: copied when
    /// missing, damaged files copied again; then it is the image's current folder. <paramref name="version"/>: the
    /// version a layer needs of this parent. When the store cannot say which version is current, an intact current
    /// folder is used as it is.
    /// </summary>
    private async Task<EnsureOutcome> EnsureTreeAsync(string image, ImagePeer? peer, int depth, string? version, CancellationToken cancellationToken)
    {
        CheckName(image, "an image");
        if (depth > MaxParents)
        {
            throw new DriverException($"image {image} has more than {MaxParents} parents", terminal: true);
        }

        string manifestJson;
        try
        {
            manifestJson = await _store.ManifestAsync(image, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or DriverException && UsableAsItIs(image, version) is not null)
        {
            LogStoreUnavailable(_logger, _context.HostName, image, e.Message);
            return EnsureOutcome.Unchanged;
        }

        ImageManifest manifest;
        try
        {
            manifest = ImageManifest.Parse(manifestJson);
        }
        catch (FormatException e)
        {
            throw new DriverException($"image {image}: {e.Message}", terminal: true, e);
        }

        var stored = ImageCache.VersionOf(manifest.Files);
        if (version is not null && stored != version)
        {
            if (UsableAsItIs(image, version) is not null)
            {
                return EnsureOutcome.Unchanged; // the layer's parent as it was built over, kept since
            }

            throw new DriverException($"a layer over {image} was built over another {image} than the store's (version {version}, the store has {stored}); rebuild the layer", terminal: true);
        }

        var outcome = EnsureOutcome.Unchanged;
        if (manifest.Parent is { } parent
            && await EnsureTreeAsync(parent, peer, depth + 1, ImageCache.ParentVersionOf(manifest), cancellationToken) != EnsureOutcome.Unchanged)
        {
            outcome = EnsureOutcome.Updated;
        }

        var folder = Cache.Find(image, stored);
        if (folder is null || ImageCache.ReadManifest(folder) is not { } local)
        {
            folder = await FetchAsync(image, stored, manifestJson, manifest, peer, cancellationToken);
            outcome = EnsureOutcome.Created;
        }
        else if (await RepairAsync(image, folder, local, peer, cancellationToken))
        {
            outcome = EnsureOutcome.Updated;
        }

        if (Cache.Current(image) != folder)
        {
            Cache.SetCurrent(image, folder);
            outcome = outcome == EnsureOutcome.Unchanged ? EnsureOutcome.Updated : outcome;
        }

        return outcome;
    }

    /// <summary>Whether the host's current folder of the image is the store's version, intact (false when the store does not answer: the full check decides).</summary>
    private async Task<bool> IsCurrentAndIntactAsync(string image, CancellationToken cancellationToken)
    {
        if (Cache.Current(image) is not { } folder || ImageCache.ReadManifest(folder) is not { } local)
        {
            return false;
        }

        try
        {
            var stored = ImageManifest.Parse(await _store.ManifestAsync(image, cancellationToken));
            return ImageCache.VersionOf(stored.Files) == ImageCache.VersionOf(local.Files) && IsIntact(folder, local, 0);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or DriverException or FormatException)
        {
            return false;
        }
    }

    /// <summary>The folder to use without the store: the version asked for (else the current one), when it is intact.</summary>
    private string? UsableAsItIs(string image, string? version)
    {
        var folder = version is null ? Cache.Current(image) : Cache.Find(image, version);
        return folder is not null && ImageCache.ReadManifest(folder) is { } manifest && IsIntact(folder, manifest, 0) ? folder : null;
    }

    /// <summary>Copies the image into images/.NAME@VERSION.partial (resuming what an earlier attempt left), checks every file, then renames the folder into place.</summary>
    private async Task<string> FetchAsync(string image, string version, string manifestJson, ImageManifest manifest, ImagePeer? peer, CancellationToken cancellationToken)
    {
        var temp = Cache.Partial(image, version);
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
            var folder = Cache.Folder(image, version);
            Directory.Move(temp, folder);
            done = true;
            LogImageFetched(_logger, image, manifest.Files.Count, manifest.Files.Values.Sum(f => f.Size));
            return folder;
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
    private async Task<bool> RepairAsync(string image, string folder, ImageManifest manifest, ImagePeer? peer, CancellationToken cancellationToken)
    {
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
