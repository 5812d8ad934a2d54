using System.Collections.Concurrent;
using Vcm.Drivers.Rpc;

namespace Vcm.Manager.Metrics;

/// <summary>
/// The last use of their hosts that agents reported for running VMs, per host: each heartbeat replaces its hosts'
/// entries, and a host not heard of for <see cref="StaleAfter"/> shows nothing (its figures would be old).
/// </summary>
public sealed class NodeUsageBook(TimeProvider clock)
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<VmUsageReport> Vms)> _hosts = new(StringComparer.Ordinal);

    /// <summary>Records a heartbeat's reports for the hosts it names (a host with no running VM gets an empty list).</summary>
    public void Record(IEnumerable<string> hosts, IReadOnlyList<VmUsageReport> vms)
    {
        var now = clock.GetUtcNow();
        var byHost = vms.ToLookup(v => v.Host, StringComparer.Ordinal);
        foreach (var host in hosts)
        {
            _hosts[host] = (now, byHost[host].ToList());
        }
    }

    /// <summary>Every VM of every host heard of recently.</summary>
    public IReadOnlyList<VmUsageReport> Current()
    {
        var since = clock.GetUtcNow() - StaleAfter;
        return _hosts.Values.Where(h => h.At >= since).SelectMany(h => h.Vms).ToList();
    }
}
