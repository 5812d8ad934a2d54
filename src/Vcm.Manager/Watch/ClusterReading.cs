using Vcm.Store.Records;

namespace Vcm.Manager.Watch;

/// <summary>
/// What one scan of the feed read of one cluster, each part read at most once however many watchers it goes to:
/// the row (null once removed), whether it is live, and — when a watcher needs them — its full view, its list item
/// and its latest events.
/// </summary>
internal sealed class ClusterReading(ClusterRecord? record, bool live)
{
    public ClusterRecord? Record { get; } = record;

    public bool Live { get; } = live;

    public string? View { get; set; }

    public string? Item { get; set; }

    public IReadOnlyList<EventRecord>? Events { get; set; }
}
