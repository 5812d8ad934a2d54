using System.Collections.Concurrent;

namespace Vcm.Manager.Hosts;

/// <summary>
/// The destinations a consolidation planned, by cluster id and node: <see cref="HostDrainer"/> takes the planned host
/// when it still has room (else it chooses as for any drain). Kept in memory only: after a restart, or at another
/// manager, the drain goes on without them.
/// </summary>
public sealed class ConsolidationHints
{
    private readonly ConcurrentDictionary<(string ClusterId, string Node), string> _to = new();

    public void Plan(string clusterId, string node, string toHostId) => _to[(clusterId, node)] = toHostId;

    public string? For(string clusterId, string node) => _to.TryGetValue((clusterId, node), out var to) ? to : null;

    public void Done(string clusterId, string node) => _to.TryRemove((clusterId, node), out _);
}
