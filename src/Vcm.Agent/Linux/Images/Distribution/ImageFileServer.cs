namespace Vcm.Agent.Linux.Images.Distribution;

/// <summary>Serves the files of each image's current folder on a host and those it is copying (<see cref="TransferRegistry"/>), paced to <see cref="ImageTransferOptions.ServeRate"/>.</summary>
internal sealed class ImageFileServer(Func<string, string?> currentFolder, TransferRegistry registry, ImageTransferOptions options, TimeProvider clock) : IImageFileServer
{
    public async Task<long?> SizeAsync(string image, string file, CancellationToken cancellationToken)
    {
        var start = clock.GetTimestamp();
        while (true)
        {
            var started = registry.Started;
            if (Find(image, file) is { } found)
            {
                return found.Progress?.Size ?? new FileInfo(found.Path).Length;
            }

            var left = options.StallWindow - clock.GetElapsedTime(start);
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            try
            {
                await started.WaitAsync(left, clock, cancellationToken);
            }
            catch (TimeoutException)
            {
                return null;
            }
        }
    }

    public async Task CopyRangeAsync(string image, string file, long offset, long length, Stream destination, CancellationToken cancellationToken)
    {
        var (path, progress) = Find(image, file) ?? throw new IOException($"this host has no {file} of image {image}");
        using var handle = Open(image, file, ref path, ref progress);
        var generation = progress?.Generation;
        var buffer = new byte[256 * 1024];
        var start = clock.GetTimestamp();
        var position = offset;
        var end = offset + length;
        while (position < end)
        {
            var changed = progress?.Changed;
            if (progress is not null && progress.Generation != generation)
            {
                throw new IOException($"this host's copy of {file} of image {image} went back to an earlier chunk");
            }

            var available = progress is null ? end : Math.Min(end, progress.Written);
            if (position < available)
            {
                var read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, (int)Math.Min(buffer.Length, available - position)), position, cancellationToken);
                if (read == 0)
                {
                    throw new IOException($"{file} of image {image} on this host ends at {position}");
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                position += read;
                await PaceAsync(position - offset, start, cancellationToken);
                continue;
            }

            if (progress!.Abandoned)
            {
                throw new IOException($"this host's own copy of {file} of image {image} stopped at {progress.Written}");
            }

            try
            {
                await changed!.WaitAsync(options.StallWindow, clock, cancellationToken);
            }
            catch (TimeoutException)
            {
                throw new IOException($"this host's own copy of {file} of image {image} made no progress at {position} for {options.StallWindow.TotalSeconds:0.###} s");
            }
        }
    }

    /// <summary>The file being copied (its partial and progress), else the complete one; null when neither.</summary>
    private (string Path, TransferProgress? Progress)? Find(string image, string file)
    {
        if (registry.Find(image, file) is { } progress)
        {
            return (progress.Path, progress);
        }

        return currentFolder(image) is { } folder && Path.Combine(folder, file) is var complete && File.Exists(complete) ? (complete, null) : null;
    }

    /// <summary>Opens the file; a copy that completed and moved into place meanwhile is opened at its final name.</summary>
    private Microsoft.Win32.SafeHandles.SafeFileHandle Open(string image, string file, ref string path, ref TransferProgress? progress)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            path = Path.Combine(currentFolder(image) ?? throw new IOException($"this host has no {file} of image {image}"), file);
            progress = null;
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
        }
    }

    private async Task PaceAsync(long sent, long start, CancellationToken cancellationToken)
    {
        if (options.ServeRate is not { } rate)
        {
            return;
        }

        var due = TimeSpan.FromSeconds((double)sent / rate) - clock.GetElapsedTime(start);
        if (due > TimeSpan.Zero)
        {
            await Task.Delay(due, clock, cancellationToken);
        }
    }
}
