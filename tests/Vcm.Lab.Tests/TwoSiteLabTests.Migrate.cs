using System.Text.RegularExpressions;
using Vcm.Api;
using Xunit;

namespace Vcm.Lab.Tests;

public sealed partial class TwoSiteLabTests
{
    /// <summary>
    /// Issue 13's cross-site acceptance on real VMs: the head pings node-01 every 10 ms and holds a TCP connection to
    /// it while node-01 is live-migrated from site a to site b over the cluster's own VPN (the WAN shaped at 1 Gbit/s).
    /// The replies lost are counted and reported; the connection survives; node-01 keeps its name, address and MAC and
    /// is recorded at site b (in the part there, on the host asked for), runs the same kernel as before (boot_id), and
    /// exactly one copy of it is left, at site b; no relay end is left at either site.
    /// </summary>
    [Fact(Skip = "About half the runs leave the migrated guest with corrupt memory (virtio_net: output.0:id N is not a head!) under TCG on this machine; see docs/architecture.md, Migration across sites, Known bad")]
    public async Task NodeMigratedToTheOtherSite_WhilePingedEvery10ms_KeepsItsTcpConnectionNameAndAddress()
    {
        await _own.AddAsync("xm");
        var xm = await lab.CreateAsync("xm", "--workers", "2", "--sites", "a:2,b:1", "--subnet", TwoSiteLabFixture.Subnet);
        var node = xm.Nodes!.Single(n => n.Name == "node-01");
        Assert.Equal("a", node.Site);
        var bootId = (await Ssh("xm", "node-01", "cat /proc/sys/kernel/random/boot_id")).Trim();

        // busybox's nc ends when its standard input ends: the listener's is a pipe that stays open
        await Ssh("xm", "node-01", "(sleep 100000 | nc -l -p 5000 > /tmp/tcp.log 2>&1) </dev/null >/dev/null 2>&1 & echo started");
        await Ssh("xm", "head",
            "ping -i 0.01 node-01 > /tmp/ping.log 2>&1 </dev/null & " +
            "(i=0; while true; do i=$((i+1)); echo $i; sleep 0.1; done | nc node-01 5000 >/dev/null 2>/tmp/nc.err; echo ended $? >> /tmp/nc.err) </dev/null >/dev/null 2>&1 & echo started");
        var before = await CounterAsync("xm", "node-01", atLeast: 5);

        var migration = await lab.Cli.JsonAsync<MigrationView>("node", "migrate", "xm", "node-01", "--to", "b/b2");
        Assert.True(migration.State == "completed", $"the migration ended {migration.State}: {migration.Error}");
        Assert.Equal((node.Host, "b/b2"), (migration.From, migration.To));

        // the connection carries on: new numbers arrive after the move, and the sender never ended
        int reached;
        try
        {
            reached = await CounterAsync("xm", "node-01", atLeast: before);
        }
        catch (Exception e) when (e is Xunit.Sdk.XunitException or TimeoutException)
        {
            // what the moved guest said on its console, for the failure's message
            var consoles = lab.HostNames.Select(h => Path.Combine(lab.DataDirectory, "lab", "hosts", h, "vms"))
                .Where(Directory.Exists).SelectMany(Directory.GetDirectories).Where(d => d.EndsWith("-node-01", StringComparison.Ordinal))
                .Select(d => Path.Combine(d, "console.log")).Where(File.Exists)
                .Select(f => $"{f}:\n{string.Join('\n', File.ReadAllLines(f).TakeLast(15))}");
            throw new Xunit.Sdk.XunitException($"{e.Message}\nmigration: {migration.TotalMs} ms, paused {migration.DowntimeMs} ms\n{string.Join('\n', consoles)}");
        }

        await CounterAsync("xm", "node-01", atLeast: reached + 10);
        var sender = await Ssh("xm", "head", "cat /tmp/nc.err; pidof nc >/dev/null && echo alive");
        Assert.Contains("alive", sender, StringComparison.Ordinal);
        Assert.DoesNotContain("ended", sender, StringComparison.Ordinal);

        var stats = await Ssh("xm", "head", "kill -INT $(pidof ping); sleep 1; tail -2 /tmp/ping.log");
        var counts = Regex.Match(stats, @"(\d+) packets transmitted, (\d+) packets received");
        Assert.True(counts.Success, stats);
        output.WriteLine($"migration {node.Host} (site a) -> b2 (site b) over the cluster's VPN, WAN 1 Gbit/s: QEMU paused {migration.DowntimeMs} ms, " +
            $"{migration.TotalMs} ms in all, {migration.MemoryBytes} memory and {migration.DiskBytes} disk bytes; " +
            $"10 ms pings: {counts.Groups[1].Value} sent, {counts.Groups[2].Value} answered");

        var view = await lab.Cli.ShowAsync("xm");
        var moved = view.Nodes!.Single(n => n.Name == "node-01");
        Assert.Equal(("b", "b2", node.Ip, node.Mac, "ready"), (moved.Site, moved.Host, moved.Ip, moved.Mac, moved.State));
        var part = await lab.SiteB.ShowAsync("xm@a");
        Assert.Contains(part.Nodes!, n => (n.Name, n.Host, n.Ip, n.Mac) == ("node-01", "b2", node.Ip, node.Mac));
        Assert.Equal(bootId, (await Ssh("xm", "node-01", "cat /proc/sys/kernel/random/boot_id")).Trim());
        Assert.Equal("node-01", (await Ssh("xm", "node-01", "hostname")).Trim());

        // one copy, at site b; no relay end left anywhere
        var homeVm = $"vc-{xm.Id[^12..]}-node-01";
        var partVm = $"vc-{part.Id[^12..]}-node-01";
        Assert.DoesNotContain(lab.HostNames, h => Directory.Exists(Path.Combine(lab.DataDirectory, "lab", "hosts", h, "vms", homeVm)));
        Assert.Equal(["b2"], lab.HostNames.Where(h => Directory.Exists(Path.Combine(lab.DataDirectory, "lab", "hosts", h, "vms", partVm))));
        var namespaces = await new Vcm.Drivers.Processes.ProcessRunner().RunAsync(Vcm.Drivers.Processes.ProcessSpec.Of("ip", "netns", "list"), CancellationToken.None);
        Assert.DoesNotContain("vcmr", namespaces.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(await lab.Cli.JsonAsync<List<EventView>>("cluster", "events", "xm"), e => e.Reason == "Migrated");
    }

    /// <summary>The last number the node received over the TCP connection, once it is at least <paramref name="atLeast"/>.</summary>
    private async Task<int> CounterAsync(string cluster, string node, int atLeast)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        var last = 0;
        while (DateTime.UtcNow < deadline)
        {
            var text = await Ssh(cluster, node, "tail -1 /tmp/tcp.log");
            if (int.TryParse(text.Trim(), out last) && last >= atLeast)
            {
                return last;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        throw new TimeoutException($"{node} received up to {last} over the TCP connection, not {atLeast}");
    }

    private async Task<string> Ssh(string cluster, string node, string command)
    {
        var result = await lab.SshAsync(cluster, node, command);
        Assert.True(result.ExitCode == 0, $"{cluster}/{node}: {command}: {result.StandardError}");
        return result.StandardOutput;
    }
}
