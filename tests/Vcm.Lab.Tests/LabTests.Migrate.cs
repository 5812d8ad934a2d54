using System.Text.RegularExpressions;
using Vcm.Api;
using Xunit;

namespace Vcm.Lab.Tests;

public sealed partial class LabTests
{
    /// <summary>
    /// Issue 13's first acceptance on real VMs: node-01 pings node-02 every 10 ms and holds a TCP connection to it
    /// while node-02 is live-migrated to another host. The replies lost are counted and reported; the connection
    /// survives (the counter it carries keeps arriving, the sender never saw an error); node-02 is recorded on its new
    /// host, runs the same kernel as before (boot_id), and exactly one copy of it is left, on the new host.
    /// </summary>
    [Fact]
    public async Task NodeMigratedBetweenHosts_WhilePingedEvery10ms_KeepsItsTcpConnectionAndAddress()
    {
        await _own.AddAsync("mg");
        var mg = await lab.CreateAsync("mg", "--workers", "2", "--policy", "spread");
        var node = mg.Nodes!.Single(n => n.Name == "node-02");
        var to = lab.HostNames.First(h => h != node.Host);
        var bootId = (await Ssh("mg", "node-02", "cat /proc/sys/kernel/random/boot_id")).Trim();

        // busybox's nc ends when its standard input ends: the listener's is a pipe that stays open
        await Ssh("mg", "node-02", "(sleep 100000 | nc -l -p 5000 > /tmp/tcp.log 2>&1) </dev/null >/dev/null 2>&1 & echo started");
        await Ssh("mg", "node-01",
            "ping -i 0.01 node-02 > /tmp/ping.log 2>&1 </dev/null & " +
            "(i=0; while true; do i=$((i+1)); echo $i; sleep 0.1; done | nc node-02 5000 >/dev/null 2>/tmp/nc.err; echo ended $? >> /tmp/nc.err) </dev/null >/dev/null 2>&1 & echo started");
        var before = await CounterAsync("mg", atLeast: 5);

        var migration = await lab.Cli.JsonAsync<MigrationView>("node", "migrate", "mg", "node-02", "--to", to);
        Assert.True(migration.State == "completed", $"the migration ended {migration.State}: {migration.Error}");
        Assert.Equal((node.Host, to), (migration.From, migration.To));

        // the connection carries on: new numbers arrive after the move, and the sender never ended
        var reached = await CounterAsync("mg", atLeast: before);
        await CounterAsync("mg", atLeast: reached + 10);
        var sender = await Ssh("mg", "node-01", "cat /tmp/nc.err; pidof nc >/dev/null && echo alive");
        Assert.Contains("alive", sender, StringComparison.Ordinal);
        Assert.DoesNotContain("ended", sender, StringComparison.Ordinal);

        var stats = await Ssh("mg", "node-01", "kill -INT $(pidof ping); sleep 1; tail -2 /tmp/ping.log");
        var counts = Regex.Match(stats, @"(\d+) packets transmitted, (\d+) packets received");
        Assert.True(counts.Success, stats);
        output.WriteLine($"migration {node.Host} -> {to}: QEMU paused {migration.DowntimeMs} ms, {migration.TotalMs} ms in all, " +
            $"{migration.MemoryBytes} memory and {migration.DiskBytes} disk bytes; 10 ms pings: {counts.Groups[1].Value} sent, {counts.Groups[2].Value} answered");

        var view = await lab.Cli.ShowAsync("mg");
        var moved = view.Nodes!.Single(n => n.Name == "node-02");
        Assert.Equal((to, node.Ip, node.Mac, "ready"), (moved.Host, moved.Ip, moved.Mac, moved.State));
        Assert.Equal(bootId, (await Ssh("mg", "node-02", "cat /proc/sys/kernel/random/boot_id")).Trim());
        var vm = $"vc-{mg.Id[^12..]}-node-02";
        Assert.Equal([to], lab.HostNames.Where(h => Directory.Exists(Path.Combine(lab.DataDirectory, "lab", "hosts", h, "vms", vm))));
        Assert.Contains(await lab.Cli.JsonAsync<List<EventView>>("cluster", "events", "mg"), e => e.Reason == "Migrated");
    }

    /// <summary>
    /// The manager (`vcm up`) is killed while a migration it admitted is under way — in whichever step its pass is:
    /// starting the receiver, migrating, removing the old copy. After the restart the migration ends (completed or
    /// failed), the cluster is Ready, and exactly one copy of the node runs: every VM on the hosts belongs to a node of
    /// a live cluster, each node has exactly one, and node-02 answers on the host it is recorded on.
    /// </summary>
    [Fact]
    public async Task ManagerKilledDuringAMigration_AfterRestart_ExactlyOneCopyOfTheNodeRuns()
    {
        await _own.AddAsync("mk");
        var mk = await lab.CreateAsync("mk", "--workers", "2", "--policy", "spread");
        var node = mk.Nodes!.Single(n => n.Name == "node-02");
        var to = lab.HostNames.First(h => h != node.Host);
        var bootId = (await Ssh("mk", "node-02", "cat /proc/sys/kernel/random/boot_id")).Trim();

        var admitted = await lab.Cli.JsonAsync<MigrationView>("node", "migrate", "mk", "node-02", "--to", to, "--no-wait");
        Assert.Equal("pending", admitted.State);
        await Task.Delay(TimeSpan.FromMilliseconds(400)); // the controller picks it up within 250 ms: kill it mid-work
        await lab.Up!.KillAsync();
        await lab.StartUpAsync();

        MigrationView ended;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        do
        {
            ended = (await lab.Cli.JsonAsync<List<MigrationView>>("node", "migrations", "mk")).Single(m => m.Id == admitted.Id);
            if (ended.State is "completed" or "failed")
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
        while (DateTime.UtcNow < deadline);

        Assert.True(ended.State is "completed" or "failed", $"the migration is still {ended.State} five minutes after the restart");
        await lab.Cli.WaitForPhaseAsync("mk", "Ready", TimeSpan.FromMinutes(5));
        var view = await lab.Cli.ShowAsync("mk");
        var where = view.Nodes!.Single(n => n.Name == "node-02").Host;
        Assert.Equal(ended.State == "completed" ? to : node.Host, where);
        output.WriteLine($"manager killed 400 ms into the migration of node-02 {node.Host} -> {to}: after the restart it ended {ended.State}{(ended.Error is { } e ? $" ({e})" : "")}; node-02 runs on {where}");

        var vm = $"vc-{mk.Id[^12..]}-node-02";
        Assert.Equal([where], lab.HostNames.Where(h => Directory.Exists(Path.Combine(lab.DataDirectory, "lab", "hosts", h, "vms", vm))));
        var live = await lab.Cli.JsonAsync<List<ClusterView>>("cluster", "list");
        var desired = 0;
        foreach (var cluster in live)
        {
            desired += (await lab.Cli.ShowAsync(cluster.Name)).Nodes!.Count;
        }

        var qemus = (await lab.InventoryAsync()).Sum(h => h.Processes.Count(p => p.StartsWith("qemu", StringComparison.Ordinal)));
        Assert.Equal(desired, qemus);
        var again = (await Ssh("mk", "node-02", "cat /proc/sys/kernel/random/boot_id")).Trim();
        Assert.Equal(bootId, again); // the same running kernel: it moved live or stayed, never rebooted
    }

    /// <summary>The last number node-02 received over the TCP connection, once it is at least <paramref name="atLeast"/>.</summary>
    private async Task<int> CounterAsync(string cluster, int atLeast)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        var last = 0;
        while (DateTime.UtcNow < deadline)
        {
            var text = await Ssh(cluster, "node-02", "tail -1 /tmp/tcp.log");
            if (int.TryParse(text.Trim(), out last) && last >= atLeast)
            {
                return last;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        throw new TimeoutException($"node-02 received up to {last} over the TCP connection, not {atLeast}");
    }

    private async Task<string> Ssh(string cluster, string node, string command)
    {
        var result = await lab.SshAsync(cluster, node, command);
        Assert.True(result.ExitCode == 0, $"{cluster}/{node}: {command}: {result.StandardError}");
        return result.StandardOutput;
    }
}
