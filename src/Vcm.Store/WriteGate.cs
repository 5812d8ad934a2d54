namespace Vcm.Store;

/// <summary>
/// SQLite allows one writer at a time. Left to SQLite, waiting writers sleep in its busy handler (1–100 ms steps)
/// and retry; under load most of a write's time is that sleep. This gate queues the process's writers instead —
/// first come, first served, woken the moment the previous write ends. Not used for PostgreSQL (row locks).
/// Not re-entrant: a holder writes through the context it holds the gate for.
/// </summary>
public sealed class WriteGate
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _semaphore.WaitAsync(cancellationToken);
        return new Held(_semaphore);
    }

    private sealed class Held(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
