using System.Collections.Concurrent;
using Vcm.Drivers.Rpc;

namespace Vcm.Manager.Metrics;

/// <summary>
/// The use of their hosts that agents reported for running VMs. Per host the last report: each heartbeat replaces its
/// hosts' entries, and a host not heard of for <see cref="StaleAfter"/> shows nothing (its figures would be old). Per
/// VM a ring of the last <see cref="Kept"/> samples (CPU as a percentage of one CPU over the time since the VM's
/// previous report, memory resident), for the node's charts; a VM its host's report no longer names is forgotten.
/// </summary>
public sealed class NodeUsageBook(TimeProvider clock)
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);

    /// <summary>Samples kept per VM: ten minutes of heartbeats every 5 s.</summary>
    public const int Kept = 120;

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<VmUsageReport> Vms)> _hosts = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<(string Host, string Vm), UsageRing> _rings = new();

    /// <summary>Records a heartbeat's reports for the hosts it names (a host with no running VM gets an empty list).</summary>
    public void Record(IEnumerable<string> hosts, IReadOnlyList<VmUsageReport> vms)
    {
        var now = clock.GetUtcNow();
        var byHost = vms.ToLookup(v => v.Host, StringComparer.Ordinal);
        foreach (var host in hosts)
        {
            var reported = byHost[host].ToList();
            _hosts[host] = (now, reported);
            foreach (var vm in reported)
            {
                _rings.GetOrAdd((host, vm.Vm), _ => new UsageRing(Kept)).Add(now, vm.CpuSeconds, vm.MemoryBytes);
            }

            var names = reported.Select(v => v.Vm).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _rings.Keys.Where(k => k.Host == host && !names.Contains(k.Vm)))
            {
                _rings.TryRemove(gone, out _);
            }
        }
    }

    /// <summary>Every VM of every host heard of recently.</summary>
    public IReadOnlyList<VmUsageReport> Current()
    {
        var since = clock.GetUtcNow() - StaleAfter;
        return _hosts.Values.Where(h => h.At >= since).SelectMany(h => h.Vms).ToList();
    }

    /// <summary>A VM's samples, oldest first; none when its host has not reported it (twice: a rate needs two reports).</summary>
    public IReadOnlyList<UsageSample> Samples(string host, string vm) =>
        _rings.TryGetValue((host, vm), out var ring) ? ring.Samples() : [];
}
