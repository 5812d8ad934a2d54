using System.Net;
using Microsoft.EntityFrameworkCore;
using Vcm.Agent.Sim;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Manager.Configuration;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Federation;

/// <summary>
/// A node live-migrated to the other site of a cluster that spans two (simulated hosts, the managers' real HTTP APIs
/// routed in memory): the peer admits it against its calendar, the node keeps its name, MAC and address and is
/// recorded in the peer's part, the claims move between the sites, and nothing of it is left at the home; refusals
/// at the home change nothing, and a refusal by the peer ends the migration failed with the peer's reason.
/// </summary>
public sealed class CrossSiteMigrationTests : IAsyncLifetime
{
    private static readonly ControllerOptions Fast = new()
    {
        PollInterval = TimeSpan.FromMilliseconds(25),
        RetryBase = TimeSpan.FromMilliseconds(20),
        RetryMax = TimeSpan.FromMilliseconds(300),
        ReadyRecheck = TimeSpan.FromMilliseconds(200),
    };

    private readonly TestPeers _peers = new();
    private TestSite _a = null!;
    private TestSite _b = null!;

    public async Task InitializeAsync()
    {
        _a = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 3, controllers: Fast, siteName: "a", peers: _peers);
        _b = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 3, controllers: Fast, siteName: "b", peers: _peers);
        _peers.Register(_a);
        _peers.Register(_b);
        var token = await _b.Client.CreatePeerTokenAsync(CancellationToken.None);
        await _a.Client.AddPeerAsync(new PeerAddRequest("b", TestSite.UrlOf("b"), token.Token), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task Migrate_WorkerToThePeer_RunsThereWithItsAddress_ClaimsMove_AndNothingIsLeftAtTheHome()
    {
        await _a.Client.CreateClusterAsync(new ClusterSpecInput { Name = "x", Workers = 3, Sites = ["a:2", "b:2"], Duration = "2h" }, CancellationToken.None);
        await _a.WaitForPhaseAsync("x", "Ready");
        await _b.WaitForPhaseAsync("x@a", "Ready");
        var before = await _a.Client.GetClusterAsync("x", nodes: true, CancellationToken.None);
        var node = before.Nodes!.Single(n => n.Name == "node-01");
        Assert.Equal("a", node.Site);
        var target = SimHosts(_b).Select(h => h.Name).Order(StringComparer.Ordinal).Last();

        var admitted = await _a.Client.MigrateNodeAsync("x", "node-01", new MigrateRequest($"b/{target}"), CancellationToken.None);
        Assert.Equal((node.Host, $"b/{target}", "pending"), (admitted.From, admitted.To, admitted.State));
        var done = await WaitAsync(_a, "x", admitted.Id);
        Assert.Equal(("completed", $"b/{target}"), (done.State, done.To));

        var after = await _a.WaitForPhaseAsync("x", "Ready");
        var moved = (await _a.Client.GetClusterAsync("x", nodes: true, CancellationToken.None)).Nodes!.Single(n => n.Name == "node-01");
        Assert.Equal(("b", target, node.Ip, node.Mac, "ready"), (moved.Site, moved.Host, moved.Ip, moved.Mac, moved.State));
        var part = await _b.Client.GetClusterAsync("x@a", nodes: true, CancellationToken.None);
        Assert.Contains(part.Nodes!, n => (n.Name, n.Host, n.Ip, n.Mac) == ("node-01", target, node.Ip, node.Mac));
        Assert.Equal(1, SimHosts(_a).Sum(h => h.Inventory().Vms.Count)); // the head
        Assert.Equal(3, SimHosts(_b).Sum(h => h.Inventory().Vms.Count));
        Assert.DoesNotContain(SimHosts(_a).Where(h => h.Name == node.Host).SelectMany(h => h.Inventory().Disks), d => d.EndsWith("node-01", StringComparison.Ordinal));
        Assert.All(SimHosts(_a).Concat(SimHosts(_b)), h => Assert.Empty(h.Relays()));

        // the home holds the head's share only; the peer holds three nodes, node-01's on the host asked for
        Assert.Equal(1, await CpusNowAsync(_a, before.Id));
        var partId = part.Id;
        Assert.Equal(3, await CpusNowAsync(_b, partId));
        var events = await _a.Client.ListEventsAsync("x", CancellationToken.None);
        Assert.Contains(events, e => e.Reason == "Migrated" && e.Message.StartsWith($"node node-01 runs on {target} at site b (was {node.Host})", StringComparison.Ordinal));

        await _a.Client.DeleteClusterAsync("x", CancellationToken.None);
        await _a.WaitForPhaseAsync("x", "Released");
        await _b.WaitForPhaseAsync("x@a", "Released");
        _a.AssertHostsEmpty();
        _b.AssertHostsEmpty();
    }

    [Fact]
    public async Task Migrate_AcrossSites_RefusedForEveryReason_ChangesNothing_AndThePeersRefusalEndsItFailed()
    {
        await _a.Client.CreateClusterAsync(new ClusterSpecInput { Name = "y", Workers = 2, Sites = ["a:2", "b:1"], Duration = "2h" }, CancellationToken.None);
        await _a.WaitForPhaseAsync("y", "Ready");
        await _b.WaitForPhaseAsync("y@a", "Ready");
        var before = await SnapshotAsync(_a);

        var head = await RefusedAsync("y", "head", "b", HttpStatusCode.Conflict);
        Assert.Contains("node head is the head: it stays at the home site", head, StringComparison.Ordinal);
        var remote = await RefusedAsync("y", "node-02", "b", HttpStatusCode.Conflict);
        Assert.Contains("node node-02 runs at site b already", remote, StringComparison.Ordinal);
        var nowhere = await RefusedAsync("y", "node-01", "c/h1", HttpStatusCode.Conflict);
        Assert.Contains("cluster y spans no site 'c'", nowhere, StringComparison.Ordinal);
        var unknown = await RefusedAsync("y", "node-01", "no-such", HttpStatusCode.BadRequest);
        Assert.Contains("site a has no host named 'no-such', and cluster y spans no site of that name", unknown, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(_a));

        // the peer has no such host: it refuses, the migration fails with its reason, and node-01 runs on where it was
        var admitted = await _a.Client.MigrateNodeAsync("y", "node-01", new MigrateRequest("b/no-such-host"), CancellationToken.None);
        var failed = await WaitAsync(_a, "y", admitted.Id);
        Assert.Equal("failed", failed.State);
        Assert.Contains("site b has no host named 'no-such-host'", failed.Error, StringComparison.Ordinal);
        var node = (await _a.Client.GetClusterAsync("y", nodes: true, CancellationToken.None)).Nodes!.Single(n => n.Name == "node-01");
        Assert.Equal(("a", "ready"), (node.Site, node.State));
        Assert.Equal(["node-02"], (await _b.Client.GetClusterAsync("y@a", nodes: true, CancellationToken.None)).Nodes!.Select(n => n.Name));
        Assert.All(SimHosts(_a).Concat(SimHosts(_b)), h => Assert.Empty(h.Relays()));

        await _a.Client.DeleteClusterAsync("y", CancellationToken.None);
        await _a.WaitForPhaseAsync("y", "Released");
        _a.AssertHostsEmpty();
        _b.AssertHostsEmpty();
    }

    private async Task<string> RefusedAsync(string cluster, string node, string to, HttpStatusCode status)
    {
        var e = await Assert.ThrowsAsync<VcmApiException>(() => _a.Client.MigrateNodeAsync(cluster, node, new MigrateRequest(to), CancellationToken.None));
        Assert.Equal((int)status, e.Status);
        return e.Message;
    }

    private static async Task<string> SnapshotAsync(TestSite site)
    {
        await using var db = site.Database.CreateContext();
        var claims = await db.Claims.OrderBy(c => c.HostId).ThenBy(c => c.StartMs).Select(c => c.HostId + ":" + c.Cpus).ToListAsync();
        var nodes = await db.Nodes.OrderBy(n => n.Name).Select(n => n.Name + "@" + n.HostId + "/" + n.Site).ToListAsync();
        return $"{await db.Migrations.CountAsync()}|{string.Join(",", claims)}|{string.Join(",", nodes)}";
    }

    private static async Task<long> CpusNowAsync(TestSite site, string clusterId)
    {
        await using var db = site.Database.CreateContext();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return await db.Claims.Where(c => c.ClusterId == clusterId && c.StartMs <= now && c.EndMs > now).SumAsync(c => c.Cpus);
    }

    private static IEnumerable<SimHost> SimHosts(TestSite site) => site.Agent.Hosts.ByName.Values.Cast<SimHost>();

    private static async Task<MigrationView> WaitAsync(TestSite site, string cluster, string id)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        MigrationView view;
        do
        {
            view = await site.Client.MigrationAsync(cluster, id, CancellationToken.None);
            if (view.State is "completed" or "failed")
            {
                return view;
            }

            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"migration {id} is still {view.State}");
    }
}
