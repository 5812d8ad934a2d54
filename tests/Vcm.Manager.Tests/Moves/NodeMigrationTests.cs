using System.Net;
using Microsoft.EntityFrameworkCore;
using Vcm.Agent.Sim;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Domain.Hosts;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Moves;

/// <summary>
/// Live migration of a node as the manager drives it, on simulated hosts: admitted against the calendar, the node
/// recorded on its new host with its claims moved in the same transaction, its old copy and a segment left unused
/// removed; refusals change nothing; with host operations failing now and then (some after the change was made) every
/// migration ends completed or failed, and a failed one leaves the node where it was and nothing on the destination.
/// </summary>
public sealed class NodeMigrationTests
{
    [Fact]
    public async Task Migrate_ReadyNode_MovesItsVmPlacementAndClaims_AndLeavesNothingOnTheOldHost()
    {
        await using var site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 4);
        await site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "m", Workers = 2, Policy = "spread", Duration = "2h" }, CancellationToken.None);
        var ready = await ReadyAsync(site, "m");
        var node = ready.Nodes!.Single(n => n.Name == "node-02");
        var used = ready.Nodes!.Select(n => n.Host).ToHashSet();
        var to = site.Agent.Hosts.ByName.Keys.Order(StringComparer.Ordinal).First(h => !used.Contains(h));

        var admitted = await site.Client.MigrateNodeAsync("m", "node-02", new MigrateRequest(to), CancellationToken.None);
        Assert.Equal(("node-02", node.Host, to, "pending"), (admitted.Node, admitted.From, admitted.To, admitted.State));
        var done = await WaitAsync(site, "m", admitted.Id, m => m.State is "completed" or "failed");
        Assert.Equal("completed", done.State);
        Assert.NotNull(done.Started);
        Assert.NotNull(done.Ended);

        var after = await ReadyAsync(site, "m");
        var moved = after.Nodes!.Single(n => n.Name == "node-02");
        Assert.Equal((to, node.Ip, node.Mac, "ready"), (moved.Host, moved.Ip, moved.Mac, moved.State));
        Assert.Equal([to], HostsWithVm(site, "node-02"));
        Assert.Empty(site.Host(node.Host).Inventory().Segments); // node-02 was its only node: nothing of the cluster is left there
        Assert.Empty(site.Host(node.Host).Inventory().Disks);

        await using (var db = site.Database.CreateContext())
        {
            var claims = await db.Claims.Where(c => c.ClusterId == ready.Id).ToListAsync();
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            long CpusOn(string host) => claims.Where(c => c.HostId == HostId(db, host) && c.StartMs <= now && c.EndMs > now).Sum(c => c.Cpus);
            Assert.Equal(0, CpusOn(node.Host)); // the old host holds nothing of it from the move on
            Assert.Equal(1, CpusOn(to));
            Assert.Equal(3, claims.Where(c => c.StartMs <= now && c.EndMs > now).Sum(c => c.Cpus));
        }

        var events = await site.Client.ListEventsAsync("m", CancellationToken.None);
        Assert.Contains(events, e => e.Reason == "Migrating" && e.Message.StartsWith($"node node-02 to move from {node.Host} to {to}", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Reason == "Migrated" && e.Message.StartsWith($"node node-02 runs on {to} (was {node.Host})", StringComparison.Ordinal));
        Assert.Equal(["completed"], (await site.Client.MigrationsAsync("m", CancellationToken.None)).Select(m => m.State));

        await site.Client.DeleteClusterAsync("m", CancellationToken.None);
        await site.WaitForPhaseAsync("m", "Released");
        site.AssertHostsEmpty();
    }

    [Fact]
    public async Task Migrate_RefusedForEveryReasonAtOnce_ChangesNothing()
    {
        await using var site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 4, sim: new SimOptions { Cpus = 1 });
        await site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "m", Workers = 1, Policy = "spread", Duration = "2h" }, CancellationToken.None);
        var ready = await ReadyAsync(site, "m");
        var head = ready.Nodes!.Single(n => n.Name == "head").Host;
        var worker = ready.Nodes!.Single(n => n.Name == "node-01").Host;
        var third = site.Agent.Hosts.ByName.Keys.Order(StringComparer.Ordinal).First(h => h != head && h != worker);

        var before = await SnapshotAsync(site);

        // its own host
        var own = await RefusedAsync(site, "m", "node-01", worker, HttpStatusCode.Conflict);
        Assert.Contains($"node node-01 runs on {worker} already", own, StringComparison.Ordinal);

        // no such host, no host named, no such node, no such cluster
        Assert.Contains("has no host named 'nowhere'", await RefusedAsync(site, "m", "node-01", "nowhere", HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("the host to move the node to is required", await RefusedAsync(site, "m", "node-01", null, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        await RefusedAsync(site, "m", "node-09", third, HttpStatusCode.NotFound);
        await RefusedAsync(site, "nope", "node-01", third, HttpStatusCode.NotFound);

        // a draining host, then a down one
        foreach (var state in new[] { HostState.Draining, HostState.Down })
        {
            await SetStateAsync(site, third, state);
            Assert.Contains($"host {third} is {state.ToString().ToLowerInvariant()}: it takes no new nodes", await RefusedAsync(site, "m", "node-01", third, HttpStatusCode.Conflict), StringComparison.Ordinal);
        }

        await SetStateAsync(site, third, HostState.Ready);

        // no room from now to the cluster's end: another cluster takes the free hosts' one cpu each later in the window
        var inAnHour = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        await site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "later", Workers = 1, Start = inAnHour, Duration = "2h" }, CancellationToken.None);
        var later = await site.Client.GetClusterAsync("later", nodes: true, CancellationToken.None);
        var full = later.Nodes!.Select(n => n.Host).ToList();
        Assert.DoesNotContain(worker, full);
        foreach (var host in full)
        {
            var noRoom = await RefusedAsync(site, "m", "node-01", host, HttpStatusCode.Conflict);
            Assert.Contains($"host {host} has 0 cpus", noRoom, StringComparison.Ordinal);
        }

        await site.Client.DeleteClusterAsync("later", CancellationToken.None);
        await site.WaitForPhaseAsync("later", "Released");
        Assert.Equal(before, await SnapshotAsync(site));
        Assert.Empty(await site.Client.MigrationsAsync("m", CancellationToken.None));

        // a cluster that is not Ready: a node of a scheduled cluster cannot move
        await site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "s", Workers = 1, Start = DateTimeOffset.UtcNow.AddHours(3).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture), Duration = "1h" }, CancellationToken.None);
        var scheduled = await site.Client.GetClusterAsync("s", nodes: true, CancellationToken.None);
        var elsewhere = site.Agent.Hosts.ByName.Keys.First(h => h != scheduled.Nodes!.Single(n => n.Name == "node-01").Host);
        Assert.Contains("cluster s is Scheduled; only a Ready cluster's nodes are moved", await RefusedAsync(site, "s", "node-01", elsewhere, HttpStatusCode.Conflict), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public async Task Migrate_WithHostOperationsFailing_EndsCompletedOrFailed_NeverTwoCopies_NothingLeftBehind(int seed)
    {
        await using var site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 3, sim: new SimOptions { FailureRate = 0.25, Seed = seed });
        await site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "f", Workers = 1, Policy = "spread", Duration = "2h" }, CancellationToken.None);
        await ReadyAsync(site, "f");

        var outcomes = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var view = await ReadyAsync(site, "f");
            var from = view.Nodes!.Single(n => n.Name == "node-01").Host;
            var to = site.Agent.Hosts.ByName.Keys.Order(StringComparer.Ordinal).First(h => h != from);
            var admitted = await site.Client.MigrateNodeAsync("f", "node-01", new MigrateRequest(to), CancellationToken.None);
            var done = await WaitAsync(site, "f", admitted.Id, m => m.State is "completed" or "failed");
            outcomes.Add(done.State);

            var after = await ReadyAsync(site, "f");
            var host = after.Nodes!.Single(n => n.Name == "node-01").Host;
            Assert.Equal(done.State == "completed" ? to : from, host);
            Assert.Equal([host], HostsWithVm(site, "node-01")); // one copy, where the database says
            if (done.State == "failed")
            {
                Assert.NotNull(done.Error);
                Assert.Contains(await site.Client.ListEventsAsync("f", CancellationToken.None), e => e.Reason == "MigrationFailed" && e.Message.Contains(done.Error!, StringComparison.Ordinal));
            }
        }

        Assert.Contains("completed", outcomes);
        await site.Client.DeleteClusterAsync("f", CancellationToken.None);
        await site.WaitForPhaseAsync("f", "Released", TimeSpan.FromSeconds(60));
        site.AssertHostsEmpty();
        await using var db = site.Database.CreateContext();
        Assert.Empty(await db.Claims.ToListAsync());
    }

    private static async Task<ClusterView> ReadyAsync(TestSite site, string name)
    {
        await site.WaitForPhaseAsync(name, "Ready", TimeSpan.FromSeconds(60));
        return await site.Client.GetClusterAsync(name, nodes: true, CancellationToken.None);
    }

    private static async Task<string> RefusedAsync(TestSite site, string cluster, string node, string? to, HttpStatusCode status)
    {
        var e = await Assert.ThrowsAsync<VcmApiException>(() => site.Client.MigrateNodeAsync(cluster, node, new MigrateRequest(to), CancellationToken.None));
        Assert.Equal((int)status, e.Status);
        return e.Message;
    }

    private static async Task SetStateAsync(TestSite site, string host, HostState state)
    {
        await using var db = site.Database.CreateContext();
        await db.Hosts.Where(h => h.Name == host).ExecuteUpdateAsync(s => s.SetProperty(h => h.State, state));
    }

    /// <summary>What a refused migration must not change: migrations, claims, node placements.</summary>
    private static async Task<string> SnapshotAsync(TestSite site)
    {
        await using var db = site.Database.CreateContext();
        var claims = await db.Claims.Join(db.Clusters, c => c.ClusterId, k => k.Id, (c, k) => new { k.Name, c.HostId, c.StartMs, c.EndMs, c.Cpus })
            .Where(c => c.Name == "m").OrderBy(c => c.HostId).ThenBy(c => c.StartMs).ToListAsync();
        var nodes = await db.Nodes.Join(db.Clusters, n => n.ClusterId, k => k.Id, (n, k) => new { k.Name, Node = n.Name, n.HostId })
            .Where(n => n.Name == "m").OrderBy(n => n.Node).Select(n => n.Node + "@" + n.HostId).ToListAsync();
        return $"{await db.Migrations.CountAsync()}|{string.Join(",", claims)}|{string.Join(",", nodes)}";
    }

    private static string HostId(Store.VcmDbContext db, string name) => db.Hosts.Single(h => h.Name == name).Id;

    /// <summary>The hosts that hold a VM of the node (a VM's name ends with its node's).</summary>
    private static List<string> HostsWithVm(TestSite site, string node) =>
        site.Agent.Hosts.ByName.Values.Cast<SimHost>()
            .Where(h => h.Inventory().Vms.Any(v => v.Name.EndsWith("-" + node, StringComparison.Ordinal)))
            .Select(h => h.Name).ToList();

    private static async Task<MigrationView> WaitAsync(TestSite site, string cluster, string id, Func<MigrationView, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        MigrationView view;
        do
        {
            view = await site.Client.MigrationAsync(cluster, id, CancellationToken.None);
            if (done(view))
            {
                return view;
            }

            await Task.Delay(20);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"migration {id} of {cluster} is {view.State} ({view.Error})");
    }
}
