namespace Vcm.Manager.Controllers;

/// <summary>
/// A queue of keys that never hands out the same key twice at once: a key added while it is being processed is
/// processed again once, after the current run is done. Keys added twice before they are taken are taken once.
/// </summary>
public sealed class WorkQueue(TimeProvider clock) : IDisposable
{
    private readonly Dictionary<string, (DateTimeOffset Due, ITimer Timer)> _delayed = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly Queue<string> _queue = new();
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly HashSet<string> _processing = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _available = new(0);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    public IReadOnlyCollection<string> Active()
    {
        lock (_lock)
        {
            return _queued.Concat(_processing).ToList();
        }
    }

    public void Add(string key)
    {
        lock (_lock)
        {
            if (_processing.Contains(key))
            {
                _dirty.Add(key);
                return;
            }

            if (!_queued.Add(key))
            {
                return;
            }

            _queue.Enqueue(key);
        }

        _available.Release();
    }

    /// <summary>Keys waiting for their delay to pass (one timer each).</summary>
    public int Delayed
    {
        get
        {
            lock (_lock)
            {
                return _delayed.Count;
            }
        }
    }

    /// <summary>
    /// Adds the key after a delay measured on the injected clock. A key waits on one timer at most: asked again, it
    /// keeps the earlier of the two times.
    /// </summary>
    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        var due = clock.GetUtcNow() + delay;
        lock (_lock)
        {
            if (_delayed.TryGetValue(key, out var waiting))
            {
                if (waiting.Due <= due)
                {
                    return;
                }

                waiting.Timer.Dispose();
            }

            var timer = clock.CreateTimer(_ => Fire(key, due), null, delay, Timeout.InfiniteTimeSpan);
            _delayed[key] = (due, timer);
        }
    }

    private void Fire(string key, DateTimeOffset due)
    {
        lock (_lock)
        {
            if (!_delayed.TryGetValue(key, out var waiting) || waiting.Due != due)
            {
                return; // replaced by an earlier one
            }

            _delayed.Remove(key);
            waiting.Timer.Dispose();
        }

        Add(key);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var (_, timer) in _delayed.Values)
            {
                timer.Dispose();
            }

            _delayed.Clear();
        }

        _available.Dispose();
    }

    /// <summary>Waits for a key and marks it as being processed; call <see cref="Done"/> after.</summary>
    public async Task<string> TakeAsync(CancellationToken cancellationToken)
    {
        await _available.WaitAsync(cancellationToken);
        lock (_lock)
        {
            var key = _queue.Dequeue();
            _queued.Remove(key);
            _processing.Add(key);
            return key;
        }
    }

    public void Done(string key)
    {
        bool again;
        lock (_lock)
        {
            _processing.Remove(key);
            again = _dirty.Remove(key);
        }

        if (again)
        {
            Add(key);
        }
    }
}
