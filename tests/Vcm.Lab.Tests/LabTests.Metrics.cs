using Vcm.Api;
using Vcm.Testing;
using Xunit;

namespace Vcm.Lab.Tests;

public sealed partial class LabTests
{
    /// <summary>
    /// The metrics of real VMs: each of c1's nodes shows the CPU time and memory its QEMU process uses on its host, as
    /// the host's agent reports them with its heartbeats, and the agents' calls are timed.
    /// </summary>
    [Fact]
    public async Task Metrics_ShowEachRealNodesCpuTimeAndMemory_OnItsHost()
    {
        var c1 = await lab.Cli.JsonAsync<ClusterView>("cluster", "show", "c1");
        var token = (await File.ReadAllTextAsync(Path.Combine(lab.DataDirectory, "admin.token"))).Trim();
        using var http = new HttpClient { BaseAddress = new Uri(lab.Cli.Server) };
        string Series(string name, NodeView node) => $"{name}{{cluster=\"c1\",node=\"{node.Name}\",host=\"{node.Host}\"}}";

        // heartbeats come every 5 s: wait for one from each host that carries c1's nodes
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var metrics = await MetricsText.ScrapeAsync(http, token);
        while (c1.Nodes!.Any(n => metrics.Find(Series("vcm_node_memory_bytes", n)) is null) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            metrics = await MetricsText.ScrapeAsync(http, token);
        }

        Assert.All(c1.Nodes!, n =>
        {
            Assert.True(metrics.Value(Series("vcm_node_cpu_seconds_total", n)) > 0, $"{n.Name}: no CPU time");
            Assert.True(metrics.Value(Series("vcm_node_memory_bytes", n)) > 16 * 1024 * 1024, $"{n.Name}: under 16 MiB resident");
        });
        Assert.True(metrics.Value("vcm_agent_rpc_duration_seconds_count{call=\"apply\"}") > 0);
        Assert.Equal(1, metrics.Value($"vcm_host_up{{host=\"{c1.Nodes![0].Host}\"}}"));
    }
}
