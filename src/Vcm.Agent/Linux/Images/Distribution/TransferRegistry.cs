using System.Collections.Concurrent;

namespace Vcm.Agent.Linux.Images.Distribution;

/// <summary>The files a host is copying right now, by image and file, so it can serve them to peers as they arrive.</summary>
internal sealed class TransferRegistry
{
    private readonly ConcurrentDictionary<(string Image, string File), TransferProgress> _active = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a transfer starts (for a peer that asked before this host began).</summary>
    public Task Started
    {
        get
        {
            lock (_lock)
            {
                return _started.Task;
            }
        }
    }

    public TransferProgress? Find(string image, string file) => _active.GetValueOrDefault((image, file));

    public TransferProgress Begin(string image, string file, string path, long size)
    {
        var progress = new TransferProgress(path, size);
        _active[(image, file)] = progress;
        TaskCompletionSource signalled;
        lock (_lock)
        {
            signalled = _started;
            _started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signalled.TrySetResult();
        return progress;
    }

    /// <summary>The file is complete in its partial place; it is served from there until <see cref="Forget"/> (after it moved into place).</summary>
    public static void Complete(TransferProgress progress) => progress.Advance(progress.Size);

    /// <summary>The copy stopped; peers reading it stop too.</summary>
    public void Abandon(string image, string file, TransferProgress progress)
    {
        progress.Abandon();
        _active.TryRemove(new KeyValuePair<(string, string), TransferProgress>((image, file), progress));
    }

    /// <summary>The file moved to its final name (where peers find it from now on).</summary>
    public void Forget(string image, string file) => _active.TryRemove((image, file), out _);
}
