using Vcm.Store.Clusters;
using Vcm.Store.Records;

namespace Vcm.Manager.Watch;

/// <summary>
/// What one scan of the feed read of one cluster, each part read at most once however many watchers it goes to:
/// the row (null once removed), whether it is live, and — when a watcher needs them — its full view, its list item
/// and its latest events.
/// </summary>
internal sealed class ClusterReading(ClusterVersion? row)
{
    public ClusterRecord? Record { get; set; }

    /// <summary>
    /// The row's version as the scan first read it: what a watcher is marked as having seen. The row and events read
    /// after it may be newer; a change after that first read bumps the version again, so the next scan reads again.
    /// </summary>
    public long Version { get; } = row?.Version ?? 0;

    public bool Live { get; } = row?.Live == true;

    public string? View { get; set; }

    public string? Item { get; set; }

    public IReadOnlyList<EventRecord>? Events { get; set; }
}
