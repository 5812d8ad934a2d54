using Vcm.Agent.Sim;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Controllers;

/// <summary>
/// Extending and resizing a running cluster on simulated hosts: extended, it stays Ready with its claims
/// lengthened; grown, its new workers are built and joined to its gateway's DHCP and DNS (the cluster is Degraded
/// "resizing" meanwhile, then Ready); shrunk, the highest-numbered workers' VMs, disks and gateway entries go, and a
/// host left without nodes loses its segment — then their rows and capacity.
/// With host operations failing now and then (some after the change was made), it converges all the same.
/// </summary>
public sealed class ResizeRunningTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.25)]
    public async Task Resize_Ready_2To4_BuildsAndJoinsTheNewWorkers_ThenBackTo2_RemovesThemAndTheirHostObjects(double failureRate)
    {
        await using var site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 4, sim: new SimOptions { FailureRate = failureRate, Seed = 11 });
        await site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "r", Workers = 2, Policy = "spread", Duration = "1h" }, CancellationToken.None);
        var before = await site.WaitForPhaseAsync("r", "Ready");

        // a Ready cluster is extended in place: its window and claims run on, it stays Ready
        var extended = await site.Client.ExtendClusterAsync("r", new ExtendRequest(null, "1h"), CancellationToken.None);
        Assert.Equal((before.End.AddHours(1), "Ready"), (extended.End, extended.Phase));
        await using (var db = site.Database.CreateContext())
        {
            Assert.All(db.Claims.Where(c => c.ClusterId == before.Id), c => Assert.Equal(before.End.AddHours(1).ToUnixTimeMilliseconds(), c.EndMs));
        }

        var grown = await site.Client.ResizeClusterAsync("r", new ResizeRequest(4), CancellationToken.None);
        Assert.Equal(5, grown.NodesTotal);
        var ready = await WaitAsync(site, v => v.Phase == "Ready" && v.Nodes!.Count == 5 && v.Nodes.All(n => n.State == "ready"));

        var events = await site.Client.ListEventsAsync("r", CancellationToken.None);
        Assert.Contains(events, e => e.Reason == "Degraded" && e.Message == "resizing to 4 workers: building node-03, node-04");
        Assert.Equal(["head", "node-01", "node-02", "node-03", "node-04"], Vms(site).Order(StringComparer.Ordinal));
        Assert.Equal(["head", "node-01", "node-02", "node-03", "node-04"], GatewayEntries(site));
        Assert.Equal(ready.Nodes!.Select(n => n.Ip), site.Agent.Hosts.ByName.Values.Cast<SimHost>().SelectMany(h => h.GatewaySpecs()).Single().Nodes.Select(n => n.Ip));

        await site.Client.ResizeClusterAsync("r", new ResizeRequest(2), CancellationToken.None);
        var shrunk = await WaitAsync(site, v =>
        {
            // crash-safe order: a released worker's row goes only after its VM (read after the row, so never older)
            var vms = Vms(site);
            Assert.All(new[] { "node-03", "node-04" }.Where(n => v.Nodes!.All(x => x.Name != n)), n => Assert.DoesNotContain(n, vms));
            return v.Nodes!.Count == 3 && v.Phase == "Ready";
        });

        Assert.Equal(["head", "node-01", "node-02"], shrunk.Nodes!.Select(n => n.Name));
        Assert.Equal(["head", "node-01", "node-02"], Vms(site).Order(StringComparer.Ordinal));
        Assert.Equal(["head", "node-01", "node-02"], GatewayEntries(site));
        var hostsWithNodes = shrunk.Nodes!.Select(n => n.Host).ToHashSet();
        foreach (var host in site.Agent.Hosts.ByName.Values.Cast<SimHost>())
        {
            var inventory = host.Inventory();
            Assert.Equal(inventory.Vms.Count, inventory.Disks.Count);
            if (!hostsWithNodes.Contains(host.Name) && inventory.Gateways.Count == 0)
            {
                Assert.Empty(inventory.Segments); // a host the shrink left without nodes keeps nothing of the cluster
            }
        }

        await using (var db = site.Database.CreateContext())
        {
            var id = db.Clusters.Single(c => c.ActiveName == "r").Id;
            Assert.Equal(3, db.Claims.Where(c => c.ClusterId == id).Sum(c => c.Cpus));
        }

        Assert.Contains(await site.Client.ListEventsAsync("r", CancellationToken.None), e => e.Reason == "NodesRemoved" && e.Message.StartsWith("node-03, node-04 removed", StringComparison.Ordinal));
        await site.Client.DeleteClusterAsync("r", CancellationToken.None);
        await site.WaitForPhaseAsync("r", "Released");
        site.AssertHostsEmpty();
    }

    /// <summary>The nodes whose VMs the hosts hold (a VM's name ends with its node's).</summary>
    private static List<string> Vms(TestSite site) =>
        site.Agent.Hosts.ByName.Values.Cast<SimHost>()
            .SelectMany(h => h.Inventory().Vms.Select(v => v.Name[(v.Name.IndexOf('-', 3) + 1)..])).ToList();

    private static List<string> GatewayEntries(TestSite site) =>
        site.Agent.Hosts.ByName.Values.Cast<SimHost>().SelectMany(h => h.GatewaySpecs()).Single().Nodes.Select(n => n.Name).Order(StringComparer.Ordinal).ToList();

    private static async Task<ClusterView> WaitAsync(TestSite site, Func<ClusterView, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        ClusterView view;
        do
        {
            view = await site.Client.GetClusterAsync("r", nodes: true, CancellationToken.None);
            if (done(view))
            {
                return view;
            }

            await Task.Delay(20);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"cluster r is {view.Phase} ({view.Reason}) with nodes {string.Join(", ", view.Nodes!.Select(n => $"{n.Name} {n.State}"))}");
    }
}
