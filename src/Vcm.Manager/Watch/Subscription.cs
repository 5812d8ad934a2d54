using System.Threading.Channels;
using Vcm.Manager.Auth;

namespace Vcm.Manager.Watch;

/// <summary>
/// One watcher: who it is (what it may see), which cluster it watches (null: every cluster it sees), and what it has
/// been sent — per cluster the row version and JSON last sent, and the events sent — so that the feed sends each
/// watcher only what changed for it. Only the feed's one loop touches the bookkeeping after the subscription is
/// registered. A watcher that does not keep up (<see cref="Capacity"/> messages behind) is ended; it reconnects.
/// </summary>
public sealed class Subscription
{
    public const int Capacity = 1024;

    private readonly Channel<WatchMessage> _messages = Channel.CreateBounded<WatchMessage>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    public Subscription(Caller caller, string? clusterId)
    {
        Caller = caller;
        ClusterId = clusterId;
    }

    public Caller Caller { get; }

    /// <summary>The cluster watched; null for a watcher of every cluster the caller sees.</summary>
    public string? ClusterId { get; }

    /// <summary>Per cluster sent about: its name, the row version and the JSON last sent.</summary>
    public Dictionary<string, (string Name, long Version, string Json)> Sent { get; } = new(StringComparer.Ordinal);

    /// <summary>The clusters (ids) a watcher of all may not see: never read again for it (a cluster's tenant does not change).</summary>
    public HashSet<string> Hidden { get; } = new(StringComparer.Ordinal);

    /// <summary>The events (ids) a cluster watcher knows already.</summary>
    public HashSet<string> Events { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether the stream was ended because the watcher fell <see cref="Capacity"/> messages behind.</summary>
    public bool Overflowed { get; private set; }

    public ChannelReader<WatchMessage> Messages => _messages.Reader;

    /// <summary>Queues a message; a watcher too far behind is ended instead (false).</summary>
    public bool Send(WatchMessage message)
    {
        if (_messages.Writer.TryWrite(message))
        {
            return true;
        }

        Overflowed = true;
        _messages.Writer.TryComplete();
        return false;
    }

    /// <summary>Ends the stream after the messages queued (the cluster is gone).</summary>
    public void End() => _messages.Writer.TryComplete();
}
