namespace Vcm.Agent.Linux.Images.Distribution;

/// <summary>
/// A cancellation that fires when <see cref="Progress"/> has not been called for the stall window: a transfer is
/// limited by the bytes it stops receiving, never by how long it takes as a whole.
/// </summary>
internal sealed class StallGuard : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;
    private readonly TimeSpan _window;

    public StallGuard(TimeSpan window, TimeProvider clock, CancellationToken cancellationToken)
    {
        _window = window;
        _timer = new CancellationTokenSource(window, clock);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(_timer.Token, cancellationToken);
    }

    public CancellationToken Token => _linked.Token;

    /// <summary>True when the guard fired because nothing moved (not because the caller cancelled).</summary>
    public bool Stalled => _timer.IsCancellationRequested;

    public void Progress() => _timer.CancelAfter(_window);

    public void Dispose()
    {
        _linked.Dispose();
        _timer.Dispose();
    }
}
