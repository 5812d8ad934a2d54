using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Vcm.Manager.Live;

/// <summary>
/// What this manager's writers (admission, cluster changes, the controllers) say after they committed a change to a
/// cluster, its nodes or its events: the clusters changed since the last <see cref="Take"/>, and a wake-up for the one
/// reader (the watch feed), which reads the database once for all of them. Signals coalesce: many changes between two
/// reads cost one read.
/// </summary>
public sealed class ChangeSignal
{
    private readonly ConcurrentDictionary<string, byte> _changed = new(StringComparer.Ordinal);

    private volatile bool _all;

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Notes that a cluster (its row, nodes or events) changed and was committed.</summary>
    public void Changed(string clusterId)
    {
        _changed[clusterId] = 0;
        _wake.Writer.TryWrite(true);
    }

    /// <summary>Asks for every cluster to be compared again (a new watcher of all of them).</summary>
    public void ChangedAll()
    {
        _all = true;
        _wake.Writer.TryWrite(true);
    }

    /// <summary>Waits until something changed or <paramref name="timeout"/> passed; true when something changed.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout); // the fallback re-check: real time, as the other managers' changes are
        try
        {
            return await _wake.Reader.WaitToReadAsync(timer.Token) && _wake.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The clusters changed since the last call (and forgets them); null when every cluster is to be compared.</summary>
    public IReadOnlyList<string>? Take()
    {
        if (_all)
        {
            _all = false;
            _changed.Clear();
            return null;
        }

        var ids = new List<string>();
        foreach (var id in _changed.Keys)
        {
            if (_changed.TryRemove(id, out _))
            {
                ids.Add(id);
            }
        }

        return ids;
    }
}
