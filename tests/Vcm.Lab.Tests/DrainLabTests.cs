using Vcm.Api;
using Xunit;
using Xunit.Abstractions;

namespace Vcm.Lab.Tests;

/// <summary>
/// Issue 13's drain acceptance on real VMs (`vcm up --lab 1x3`): a cluster of a head and two micro workers spread
/// over the hosts; the host holding a worker (not the gateway host: a gateway does not move live) is drained with
/// `vcm host drain --wait`; it ends holding nothing of the cluster, its node runs elsewhere, and every node still
/// answers (SSH into each, pings between all of them). The host is undrained afterwards. Consolidation likewise.
/// </summary>
public sealed class DrainLabTests(DrainLabFixture lab, ITestOutputHelper output) : IClassFixture<DrainLabFixture>
{
    [Fact]
    public async Task HostHoldingAWorker_Drained_EndsEmpty_AndEveryNodeStillAnswers()
    {
        var dr = await lab.CreateAsync("dr", "--workers", "2", "--policy", "spread");
        var victim = dr.Nodes!.Where(n => n.Name != "head" && n.Host != "a1").Select(n => n.Host).Order(StringComparer.Ordinal).First();
        var tag = dr.Id[^12..];
        try
        {
            var drained = await lab.Cli.JsonAsync<DrainView>("host", "drain", victim, "--wait", "--timeout", "170");
            Assert.Equal((victim, 0), (drained.Host, drained.Progress.NodesLeft));
            Assert.Empty(drained.Progress.Fixed);

            var after = await lab.Cli.ShowAsync("dr");
            Assert.DoesNotContain(after.Nodes!, n => n.Host == victim);
            Assert.All(after.Nodes!, n => Assert.Equal("ready", n.State));
            Assert.Equal(dr.Nodes!.Select(n => (n.Name, n.Ip, n.Mac)).Order(), after.Nodes!.Select(n => (n.Name, n.Ip, n.Mac)).Order());
            var inventory = (await lab.InventoryAsync()).Single(h => h.Host == victim);
            Assert.True(!inventory.Files.Any(f => f.Contains(tag, StringComparison.Ordinal)), inventory.Describe());
            Assert.True(!inventory.Processes.Any(p => p.Contains("qemu", StringComparison.Ordinal)), inventory.Describe());

            foreach (var node in after.Nodes!)
            {
                var pings = string.Join(" && ", after.Nodes!.Where(o => o.Name != node.Name).Select(o => $"ping -c 2 -W 3 {o.Name} >/dev/null"));
                var result = await lab.SshAsync("dr", node.Name, pings + " && echo answered");
                Assert.True(result.ExitCode == 0 && result.StandardOutput.Contains("answered", StringComparison.Ordinal), $"{node.Name}: {result.StandardError}");
            }

            foreach (var m in await lab.Cli.JsonAsync<List<MigrationView>>("node", "migrations", "dr"))
            {
                output.WriteLine($"{m.Node}: {m.From} -> {m.To} {m.State}, paused {m.DowntimeMs} ms, {m.TotalMs} ms in all ({m.Reason})");
                Assert.Equal("completed", m.State);
            }
        }
        finally
        {
            await lab.Cli.RunAsync("host", "undrain", victim);
            await lab.ReleaseAsync(["dr"]);
        }
    }

    /// <summary>
    /// Consolidation on a lab set up for it — a head and two workers spread over a1, a2, a3 — leaves a2 and a3 empty
    /// (a1 keeps the cluster's gateway, which does not move live), as its dry run said; every node still answers.
    /// </summary>
    [Fact]
    public async Task Consolidate_SpreadCluster_LeavesHostsEmpty_AsTheDryRunSaid_AndEveryNodeStillAnswers()
    {
        var co = await lab.CreateAsync("co", "--workers", "2", "--policy", "spread");
        Assert.Equal(3, co.Nodes!.Select(n => n.Host).Distinct().Count());
        var tag = co.Id[^12..];
        ConsolidationView? done = null;
        try
        {
            var dry = await lab.Cli.JsonAsync<ConsolidationView>("host", "consolidate", "--dry-run");
            Assert.Equal(["a2", "a3"], dry.Emptied.Order(StringComparer.Ordinal));
            done = await lab.Cli.JsonAsync<ConsolidationView>("host", "consolidate");
            Assert.Equal(dry.Emptied, done.Emptied);
            foreach (var host in done.Emptied)
            {
                var drained = await lab.Cli.JsonAsync<DrainView>("host", "drain", host, "--wait", "--timeout", "170");
                Assert.Equal(0, drained.Progress.NodesLeft);
            }

            var after = await lab.Cli.ShowAsync("co");
            Assert.All(after.Nodes!, n => Assert.Equal(("a1", "ready"), (n.Host, n.State)));
            foreach (var inventory in (await lab.InventoryAsync()).Where(h => done.Emptied.Contains(h.Host)))
            {
                Assert.True(!inventory.Files.Any(f => f.Contains(tag, StringComparison.Ordinal)), inventory.Describe());
                Assert.True(!inventory.Processes.Any(p => p.Contains("qemu", StringComparison.Ordinal)), inventory.Describe());
            }

            foreach (var node in after.Nodes!)
            {
                var pings = string.Join(" && ", after.Nodes!.Where(o => o.Name != node.Name).Select(o => $"ping -c 2 -W 3 {o.Name} >/dev/null"));
                var result = await lab.SshAsync("co", node.Name, pings + " && echo answered");
                Assert.True(result.ExitCode == 0 && result.StandardOutput.Contains("answered", StringComparison.Ordinal), $"{node.Name}: {result.StandardError}");
            }

            output.WriteLine($"consolidation emptied {string.Join(", ", done.Emptied)}: {string.Join("; ", done.Moves.Select(m => $"{m.Node} {m.From} -> {m.To}"))}");
        }
        finally
        {
            foreach (var host in done?.Emptied ?? [])
            {
                await lab.Cli.RunAsync("host", "undrain", host);
            }

            await lab.ReleaseAsync(["co"]);
        }
    }
}
