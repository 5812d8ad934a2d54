using System.Net;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Domain.Naming;
using Vcm.Drivers.Rpc;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Metrics;

/// <summary>GET …/nodes/{node}/usage: a node's samples as its host's agent reports them with its heartbeats.</summary>
public sealed class NodeUsageApiTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new();
    private TestSite _site = null!;

    public async Task InitializeAsync() => _site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 2, clock: _clock);

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task Usage_ShowsTheNodesSamplesFromItsHostsHeartbeats_OthersNodesNot()
    {
        var cluster = await _site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "u", Workers = 1 }, CancellationToken.None);
        await _site.ReconcileUntilAsync(_clock, cluster.Id, "u", "Ready");
        var node = (await _site.Client.GetClusterAsync("u", true, CancellationToken.None)).Nodes!.Single(n => n.Name == "node-01");
        var vm = HostObjectNames.Vm(cluster.Id, "node-01");
        var at = new List<DateTimeOffset>();
        for (var i = 0; i < 3; i++)
        {
            at.Add(_clock.GetUtcNow());
            var beat = await _site.HeartbeatAsync([new VmUsageReport(node.Host, vm, i * 5.0, (i + 1) * 1_000_000L)]); // 5 CPU seconds in 5 s: one CPU
            Assert.Equal(HttpStatusCode.NoContent, beat.StatusCode);
            _clock.Advance(TimeSpan.FromSeconds(5));
        }

        var usage = await _site.Client.GetNodeUsageAsync("u", "node-01", CancellationToken.None);
        var head = await _site.Client.GetNodeUsageAsync("u", "head", CancellationToken.None);

        Assert.Equal(at.Skip(1), usage.Samples.Select(s => s.At));
        Assert.All(usage.Samples, s => Assert.Equal(100, s.CpuPercent));
        Assert.Equal([2_000_000L, 3_000_000L], usage.Samples.Select(s => s.MemoryBytes));
        Assert.Empty(head.Samples); // its host reported no VM of it
        var missing = await Assert.ThrowsAsync<VcmApiException>(() => _site.Client.GetNodeUsageAsync("u", "node-09", CancellationToken.None));
        Assert.Equal(404, missing.Status);
    }
}
