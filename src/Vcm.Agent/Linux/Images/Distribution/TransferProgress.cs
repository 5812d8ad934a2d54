namespace Vcm.Agent.Linux.Images.Distribution;

/// <summary>
/// How far a file being copied onto this host has been written (a prefix from offset 0), for peers that copy from this
/// host while it copies: they read up to <see cref="Written"/> and wait on <see cref="Changed"/> for more. A chunk
/// that turns out bad moves the prefix back and bumps <see cref="Generation"/>, so a peer reading past it stops.
/// </summary>
internal sealed class TransferProgress(string path, long size)
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The partial file being written.</summary>
    public string Path { get; } = path;

    public long Size { get; } = size;

    public long Written { get; private set; }

    public int Generation { get; private set; }

    /// <summary>The copy stopped without completing (the partial stays for a later resume, but nobody writes it now).</summary>
    public bool Abandoned { get; private set; }

    public Task Changed
    {
        get
        {
            lock (_lock)
            {
                return _changed.Task;
            }
        }
    }

    public void Advance(long written) => Update(() => Written = written);

    public void Rewind(long to) => Update(() =>
    {
        Written = to;
        Generation++;
    });

    public void Abandon() => Update(() => Abandoned = true);

    private void Update(Action change)
    {
        TaskCompletionSource signalled;
        lock (_lock)
        {
            change();
            signalled = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signalled.TrySetResult();
    }
}
