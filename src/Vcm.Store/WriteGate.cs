namespace Vcm.Store;

/// <summary>
/// SQLite allows one writer at a time. Left to SQLite, waiting writers sleep in its busy handler (1–100 ms steps)
/// and retry; under load most of a write's time is that sleep. This gate queues the process's writers instead —
/// first come, first served, woken the moment the previous write ends. Not used for PostgreSQL (row locks).
/// <para>
/// A flow that holds the gate and asks for it again — a store method that writes, called inside a write transaction
/// — would wait for itself forever; it gets a <see cref="WriteReentryException"/> at once instead. The holder is
/// remembered in the caller's execution context: <see cref="EnterAsync"/> is deliberately not an async method, so
/// what it records is seen by the code that goes on to hold the gate and by everything that code calls.
/// </para>
/// </summary>
public sealed class WriteGate
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);
    private readonly AsyncLocal<Held?> _holder = new();

    public Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (_holder.Value is { IsReleased: false })
        {
            throw new WriteReentryException();
        }

        var held = new Held(_semaphore);
        _holder.Value = held;
        return held.AcquireAsync(cancellationToken);
    }

    private sealed class Held(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;
        private bool _acquired;

        public bool IsReleased => Volatile.Read(ref _released) == 1;

        public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
        {
            try
            {
                await semaphore.WaitAsync(cancellationToken);
                _acquired = true;
                return this;
            }
            catch
            {
                Volatile.Write(ref _released, 1);
                throw;
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0 && _acquired)
            {
                semaphore.Release();
            }
        }
    }
}
