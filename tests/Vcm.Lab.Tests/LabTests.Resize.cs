using Vcm.Api;
using Xunit;

namespace Vcm.Lab.Tests;

public sealed partial class LabTests
{
    /// <summary>
    /// Issue 11's acceptance on real VMs: a running cluster grown from 2 to 4 workers builds them and joins them to its
    /// segment, so the head reaches them by name; shrunk back to 2, the hosts hold exactly what they held at 2 workers
    /// (links, processes, VM folders, disks, the gateway's files), and the gateway's DHCP and DNS entries for them are gone.
    /// </summary>
    [Fact]
    public async Task RunningCluster_ResizedFrom2To4_NewWorkersAnswerByName_ThenBackTo2_TheirVmsAndHostObjectsAreGone()
    {
        await _own.AddAsync("rs");
        var rs = await lab.CreateAsync("rs", "--workers", "2", "--policy", "spread");
        var atTwo = await lab.SnapshotAsync();

        var grown = await lab.Cli.JsonAsync<ClusterView>("cluster", "resize", "rs", "--workers", "4");
        Assert.Equal(5, grown.NodesTotal);
        var four = await WaitForNodesAsync("rs", 5);
        Assert.All(four.Nodes!, n => Assert.Equal("ready", n.State));
        var pings = await lab.SshAsync("rs", "head", "for n in node-03 node-04; do ping -c 1 -W 5 $n >/dev/null 2>&1 || echo FAIL $n; done; echo DONE");
        Assert.True(pings.ExitCode == 0 && pings.StandardOutput.Contains("DONE", StringComparison.Ordinal) && !pings.StandardOutput.Contains("FAIL", StringComparison.Ordinal),
            pings.StandardOutput + pings.StandardError);
        var events = await lab.Cli.JsonAsync<List<EventView>>("cluster", "events", "rs");
        Assert.Contains(events, e => e.Reason == "Resized" && e.Message.StartsWith("resized from 2 to 4 workers", StringComparison.Ordinal));

        var shrunk = await lab.Cli.RunAsync("cluster", "resize", "rs", "--workers", "2");
        Assert.True(shrunk.ExitCode == 0, shrunk.StandardError);
        var two = await WaitForNodesAsync("rs", 3);
        Assert.Equal(["head", "node-01", "node-02"], two.Nodes!.Select(n => n.Name));
        atTwo.AssertSameAs(await lab.SnapshotAsync());
        var gateway = lab.HostNames.Select(h => Path.Combine(lab.DataDirectory, "lab", "hosts", h, "gateways", $"vc-{rs.Id[^12..]}-gw")).Single(Directory.Exists);
        var entries = await File.ReadAllTextAsync(Path.Combine(gateway, "dhcp-hosts")) + await File.ReadAllTextAsync(Path.Combine(gateway, "hosts"));
        Assert.DoesNotContain("node-03", entries, StringComparison.Ordinal);
        Assert.DoesNotContain("node-04", entries, StringComparison.Ordinal);
        Assert.Contains("node-02", entries, StringComparison.Ordinal);
    }

    /// <summary>Polls the cluster until it is Ready with exactly <paramref name="nodes"/> nodes, all ready.</summary>
    private async Task<ClusterView> WaitForNodesAsync(string name, int nodes)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        ClusterView view;
        do
        {
            view = await lab.Cli.ShowAsync(name);
            if (view.Phase == "Ready" && view.Nodes!.Count == nodes && view.Nodes.All(n => n.State == "ready"))
            {
                return view;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"cluster {name} is {view.Phase} ({view.Reason}) with {view.Nodes!.Count} nodes, not Ready with {nodes}");
    }
}
