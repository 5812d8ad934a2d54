using Prometheus;
using Vcm.Domain.Clusters;
using Vcm.Domain.Hosts;
using Vcm.Manager.Configuration;
using Vcm.Store.Clusters;
using Vcm.Store.Hosts;

namespace Vcm.Manager.Metrics;

/// <summary>
/// The manager's metrics in the Prometheus format (GET /metrics), in a registry of its own (several managers may
/// share a process in tests). Latencies and errors are counted as they happen; clusters by phase, hosts' capacity
/// and claims, and nodes' use are read from the database and the agents' last heartbeats at each scrape.
/// </summary>
public sealed class ManagerMetrics
{
    private static readonly double[] LatencyBuckets = Histogram.ExponentialBuckets(0.001, 2, 18); // 1 ms … ~2 min

    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly Gauge _clusters;
    private readonly Gauge _hostUp;
    private readonly Gauge _hostCpus;
    private readonly Gauge _hostMemory;
    private readonly Gauge _hostClaimedCpus;
    private readonly Gauge _hostClaimedMemory;
    private readonly Counter _nodeCpu;
    private readonly Gauge _nodeMemory;

    public ManagerMetrics(ClusterCensus census, HostStore hosts, NodeUsageBook usage, LocalSite site, TimeProvider clock)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(_registry);
        Admissions = factory.CreateHistogram(
            "vcm_admission_duration_seconds", "Time to admit or refuse a cluster (or a peer's part), by outcome.",
            new HistogramConfiguration { LabelNames = ["outcome"], Buckets = LatencyBuckets });
        Reconciles = factory.CreateHistogram(
            "vcm_reconcile_duration_seconds", "Time of one reconcile pass of a cluster, by the phase it started in.",
            new HistogramConfiguration { LabelNames = ["phase"], Buckets = LatencyBuckets });
        ReconcileErrors = factory.CreateCounter("vcm_reconcile_errors_total", "Reconcile passes that failed outside the host steps (retried with backoff).");
        AgentCalls = factory.CreateHistogram(
            "vcm_agent_rpc_duration_seconds", "Time of one call to an agent, by call.",
            new HistogramConfiguration { LabelNames = ["call"], Buckets = LatencyBuckets });
        AgentErrors = factory.CreateCounter("vcm_agent_rpc_errors_total", "Calls to agents that got no answer or an error status, by call.", "call");
        _clusters = factory.CreateGauge("vcm_clusters", "Clusters (and parts of peers' clusters) by phase.", "phase");
        _hostUp = factory.CreateGauge("vcm_host_up", "1 when the host is ready for work, 0 when it is down or not ready.", "host");
        _hostCpus = factory.CreateGauge("vcm_host_cpus", "The host's vCPUs for VMs.", "host");
        _hostMemory = factory.CreateGauge("vcm_host_memory_bytes", "The host's memory for VMs.", "host");
        _hostClaimedCpus = factory.CreateGauge("vcm_host_claimed_cpus", "vCPUs of the host that reservations hold now.", "host");
        _hostClaimedMemory = factory.CreateGauge("vcm_host_claimed_memory_bytes", "Memory of the host that reservations hold now.", "host");
        _nodeCpu = factory.CreateCounter("vcm_node_cpu_seconds_total", "CPU time a node's VM has used since it started, as its host reports it.", "cluster", "node", "host");
        _nodeMemory = factory.CreateGauge("vcm_node_memory_bytes", "Resident memory of a node's VM on its host.", "cluster", "node", "host");

        _registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            var phases = await census.PhasesAsync(cancellationToken);
            foreach (var phase in Enum.GetValues<ClusterPhase>())
            {
                _clusters.WithLabels(phase.ToString()).Set(phases.GetValueOrDefault(phase));
            }

            var listed = await hosts.ListAsync(site.Id, cancellationToken);
            var claimed = await hosts.UsageAsync(clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
            Publish(_hostUp, listed.Select(h => ByHost(h.Name, h.State == HostState.Ready ? 1.0 : 0.0)));
            Publish(_hostCpus, listed.Select(h => ByHost(h.Name, h.Cpus)));
            Publish(_hostMemory, listed.Select(h => ByHost(h.Name, h.MemoryMb * Mebibyte)));
            Publish(_hostClaimedCpus, listed.Select(h => ByHost(h.Name, claimed.GetValueOrDefault(h.Id)?.Cpus ?? 0)));
            Publish(_hostClaimedMemory, listed.Select(h => ByHost(h.Name, (claimed.GetValueOrDefault(h.Id)?.MemoryMb ?? 0) * Mebibyte)));

            var vms = await census.VmsAsync(cancellationToken);
            var nodes = usage.Current()
                .Where(v => vms.ContainsKey(v.Vm))
                .Select(v => (Labels: new[] { vms[v.Vm].Cluster, vms[v.Vm].Node, v.Host }, v.CpuSeconds, v.MemoryBytes))
                .ToList();
            Publish(_nodeMemory, nodes.Select(n => (n.Labels, (double)n.MemoryBytes)));
            var cpuSeen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (labels, seconds, _) in nodes)
            {
                var child = _nodeCpu.WithLabels(labels);
                if (seconds < child.Value)
                {
                    _nodeCpu.RemoveLabelled(labels); // the VM started again: its counter starts again
                }

                _nodeCpu.WithLabels(labels).IncTo(seconds);
                cpuSeen.Add(string.Join('\0', labels));
            }

            foreach (var labels in _nodeCpu.GetAllLabelValues().Where(l => !cpuSeen.Contains(string.Join('\0', l))).ToList())
            {
                _nodeCpu.RemoveLabelled(labels);
            }
        });
    }

    private const double Mebibyte = 1024.0 * 1024.0;

    public Histogram Admissions { get; }

    public Histogram Reconciles { get; }

    public Counter ReconcileErrors { get; }

    public Histogram AgentCalls { get; }

    public Counter AgentErrors { get; }

    /// <summary>Writes every metric in the Prometheus text format.</summary>
    public Task WriteAsync(Stream output, CancellationToken cancellationToken) => _registry.CollectAndExportAsTextAsync(output, cancellationToken);

    private static (string[] Labels, double Value) ByHost(string host, double value) => ([host], value);

    /// <summary>Sets each labelled value, and removes the ones not in <paramref name="values"/> (a host or node gone).</summary>
    private static void Publish(Gauge gauge, IEnumerable<(string[] Labels, double Value)> values)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (labels, value) in values)
        {
            gauge.WithLabels(labels).Set(value);
            seen.Add(string.Join('\0', labels));
        }

        foreach (var labels in gauge.GetAllLabelValues().Where(l => !seen.Contains(string.Join('\0', l))).ToList())
        {
            gauge.RemoveLabelled(labels);
        }
    }
}
