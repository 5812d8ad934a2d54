using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Vcm.Agent.Sim;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Domain.Hosts;
using Vcm.Manager.Hosts;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Hosts;

/// <summary>
/// Host loss (issue 13, item 4) as the manager handles it, on simulated hosts: a host whose agent fell silent is fenced
/// before anything is rebuilt, and one that could not be fenced keeps its nodes; a host fenced or declared dead takes
/// no work, and its clusters' nodes (and gateway) are rebuilt on other hosts with their names, addresses and host keys,
/// their claims moved; the cluster goes Degraded, then Ready; a release later skips the dead host.
/// </summary>
public sealed class HostRecoveryTests
{
    [Fact]
    public async Task SilentHost_IsFencedThenItsNodesRebuiltElsewhere_WithTheirNamesAddressesAndHostKeys()
    {
        var fence = new RecordingFence(fenced: true);
        await using var site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 4, fence: fence);
        await site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "r", Workers = 3, Policy = "spread", Duration = "2h" }, CancellationToken.None);
        var before = await ReadyAsync(site, "r");
        var gateway = site.Agent.Hosts.ByName.Values.Cast<SimHost>().Single(h => h.GatewaySpecs().Count > 0).Name;
        var lost = before.Nodes!.First(n => n.Host != gateway).Host;
        var onLost = before.Nodes!.Where(n => n.Host == lost).ToList();

        await KillAsync(site, lost, HostState.Down);
        await site.Manager.App.Services.GetRequiredService<HostRecovery>().CheckAsync(CancellationToken.None);

        Assert.Equal([lost], fence.Fenced);
        var after = await ReadyAsync(site, "r");
        foreach (var old in onLost)
        {
            var now = after.Nodes!.Single(n => n.Name == old.Name);
            Assert.NotEqual(lost, now.Host);
            Assert.Equal((old.Ip, old.Mac, old.HostKeyFingerprint, "ready"), (now.Ip, now.Mac, now.HostKeyFingerprint, now.State));
        }

        Assert.Equal("dead", (await site.Client.ListHostsAsync(CancellationToken.None)).Single(h => h.Name == lost).State);
        var events = await site.Client.ListEventsAsync("r", CancellationToken.None);
        Assert.Contains(events, e => e.Reason == "HostLost" && e.Message.StartsWith($"host {lost} was lost (its agent fell silent and it was fenced", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Reason == "Degraded");
        Assert.Equal("Ready", after.Phase);

        await using (var db = site.Database.CreateContext())
        {
            var lostId = db.Hosts.Single(h => h.Name == lost).Id;
            var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var claims = await db.Claims.Where(c => c.ClusterId == before.Id && c.EndMs > nowMs).ToListAsync();
            Assert.Equal(0, claims.Where(c => c.HostId == lostId && c.StartMs <= nowMs).Sum(c => c.Cpus)); // nothing held on the dead host from now on
            Assert.Equal(4, claims.Where(c => c.StartMs <= nowMs).Sum(c => c.Cpus)); // and the cluster holds as much as before
            var fences = await db.Audit.Where(a => a.Action == "fence").ToListAsync();
            Assert.Equal([(200, $"/hosts/{lost}")], fences.Select(a => (a.Status, a.Resource)));
        }

        // checking again changes nothing: the dead host holds nothing more to rebuild, and it is not fenced twice
        await site.Manager.App.Services.GetRequiredService<HostRecovery>().CheckAsync(CancellationToken.None);
        Assert.Single(fence.Fenced);

        // its agent never answers again, yet the cluster is released: a dead host is skipped
        await site.Client.DeleteClusterAsync("r", CancellationToken.None);
        await site.WaitForPhaseAsync("r", "Released");
        site.Agent.Unreachable.Clear();
        Assert.All(site.Agent.Hosts.ByName.Values.Cast<SimHost>().Where(h => h.Name != lost), h => Assert.Empty(h.Inventory().Vms));
    }

    [Fact]
    public async Task SilentDrainingHost_IsFencedAndRecovered_LikeAnyLostHost()
    {
        var fence = new RecordingFence(fenced: true);
        await using var site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 3, fence: fence);
        await site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "d", Workers = 2, Policy = "spread", Duration = "2h" }, CancellationToken.None);
        var before = await ReadyAsync(site, "d");
        var lost = before.Nodes!.Single(n => n.Name == "node-02").Host;

        await KillAsync(site, lost, HostState.Draining); // a host being drained whose agent falls silent: it is not marked down
        await site.Manager.App.Services.GetRequiredService<HostRecovery>().CheckAsync(CancellationToken.None);

        Assert.Equal([lost], fence.Fenced);
        var after = await ReadyAsync(site, "d");
        Assert.NotEqual(lost, after.Nodes!.Single(n => n.Name == "node-02").Host);
        Assert.Equal("dead", (await site.Client.ListHostsAsync(CancellationToken.None)).Single(h => h.Name == lost).State);
    }

    [Fact]
    public async Task SilentHost_ThatCannotBeFenced_KeepsItsNodes_AndIsNotDeclaredDead()
    {
        var fence = new RecordingFence(fenced: false);
        await using var site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 3, fence: fence);
        await site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "r", Workers = 2, Policy = "spread", Duration = "2h" }, CancellationToken.None);
        var before = await ReadyAsync(site, "r");
        var lost = before.Nodes!.Single(n => n.Name == "node-02").Host;

        await KillAsync(site, lost, HostState.Down);
        await site.Manager.App.Services.GetRequiredService<HostRecovery>().CheckAsync(CancellationToken.None);

        Assert.Equal([lost], fence.Fenced);
        var view = await site.Client.GetClusterAsync("r", nodes: true, CancellationToken.None);
        Assert.Equal(lost, view.Nodes!.Single(n => n.Name == "node-02").Host);
        Assert.Equal("down", (await site.Client.ListHostsAsync(CancellationToken.None)).Single(h => h.Name == lost).State);
        await using var db = site.Database.CreateContext();
        var audit = await db.Audit.SingleAsync(a => a.Action == "fence");
        Assert.Equal(409, audit.Status);
        Assert.Contains("the power switch did not answer", audit.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeclareDead_RebuildsTheGatewayAndNodes_AndIsRefusedWhileTheAgentReports()
    {
        await using var site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 3, sim: new SimOptions { GatewayHosts = 2 });
        await site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "g", Workers = 2, Policy = "spread", Duration = "2h" }, CancellationToken.None);
        var before = await ReadyAsync(site, "g");
        var gateway = site.Agent.Hosts.ByName.Values.Cast<SimHost>().Single(h => h.GatewaySpecs().Count > 0).Name;

        // its agent reports: refused, nothing changed
        var refused = await Assert.ThrowsAsync<VcmApiException>(() => site.Client.DeclareHostDeadAsync(gateway, CancellationToken.None));
        Assert.Equal((int)HttpStatusCode.Conflict, refused.Status);
        Assert.Contains($"Host {gateway}'s agent reported", refused.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<VcmApiException>(() => site.Client.DeclareHostDeadAsync("no-such-host", CancellationToken.None));
        Assert.Equal((int)HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("ready", (await site.Client.ListHostsAsync(CancellationToken.None)).Single(h => h.Name == gateway).State);

        await KillAsync(site, gateway, HostState.Ready); // silent, not yet marked down: a provider may still declare it dead
        var report = await site.Client.DeclareHostDeadAsync(gateway, CancellationToken.None);
        Assert.Contains("g/the gateway", report.Rebuilt.Select(r => r[..r.IndexOf(" → ", StringComparison.Ordinal)]));
        Assert.Empty(report.Waiting);

        var after = await ReadyAsync(site, "g");
        var newGateway = site.Agent.Hosts.ByName.Values.Cast<SimHost>().Where(h => h.Name != gateway).Single(h => h.GatewaySpecs().Count > 0).Name;
        Assert.NotEqual(gateway, newGateway);
        Assert.All(after.Nodes!, n => Assert.NotEqual(gateway, n.Host));
        Assert.Equal(before.Nodes!.Select(n => (n.Name, n.Ip)), after.Nodes!.Select(n => (n.Name, n.Ip)));
        await using var db = site.Database.CreateContext();
        Assert.Equal(200, (await db.Audit.SingleAsync(a => a.Action == "declare-dead")).Status);
    }

    [Fact]
    public async Task DeclareDead_WithNoRoomElsewhere_LeavesTheNodeWaiting_AndSaysWhy()
    {
        await using var site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 2, sim: new SimOptions { Cpus = 2 });
        await site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "w", Workers = 3, Policy = "spread", Duration = "2h" }, CancellationToken.None);
        var before = await ReadyAsync(site, "w");
        var gateway = site.Agent.Hosts.ByName.Values.Cast<SimHost>().Single(h => h.GatewaySpecs().Count > 0).Name;
        var lost = site.Agent.Hosts.ByName.Keys.Single(h => h != gateway);

        await KillAsync(site, lost, HostState.Down);
        var report = await site.Client.DeclareHostDeadAsync(lost, CancellationToken.None);

        Assert.Empty(report.Rebuilt);
        Assert.Equal(before.Nodes!.Count(n => n.Host == lost), report.Waiting.Count);
        Assert.All(report.Waiting, w => Assert.Contains("no ready host has room for", w, StringComparison.Ordinal));
        var events = await site.Client.ListEventsAsync("w", CancellationToken.None);
        Assert.Contains(events, e => e.Reason == "RehomeWaiting");
        var view = await site.Client.GetClusterAsync("w", nodes: true, CancellationToken.None);
        Assert.Equal(before.Nodes!.Where(n => n.Host == lost).Select(n => n.Name), view.Nodes!.Where(n => n.Host == lost).Select(n => n.Name));
    }

    [Fact]
    public async Task DeadHost_Returned_IsWipedFirst_ThenTakesPlacementsAgain()
    {
        await using var site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 3);
        await site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "a", Workers = 2, Policy = "spread", Duration = "2h" }, CancellationToken.None);
        var before = await ReadyAsync(site, "a");
        var lost = before.Nodes!.Single(n => n.Name == "node-02").Host;
        await KillAsync(site, lost, HostState.Down);
        Assert.NotEmpty((await site.Client.DeclareHostDeadAsync(lost, CancellationToken.None)).Rebuilt);
        await ReadyAsync(site, "a");
        Assert.NotEmpty(site.Host(lost).Inventory().Vms); // what the host had is still there: it was never reached

        var silent = await Assert.ThrowsAsync<VcmApiException>(() => site.Client.ReturnHostAsync(lost, CancellationToken.None));
        Assert.Equal((int)HttpStatusCode.Conflict, silent.Status);
        Assert.Contains("has not reported", silent.Message, StringComparison.Ordinal);
        var other = before.Nodes!.Single(n => n.Name == "head").Host;
        var notDead = await Assert.ThrowsAsync<VcmApiException>(() => site.Client.ReturnHostAsync(other, CancellationToken.None));
        Assert.Contains("not dead", notDead.Message, StringComparison.Ordinal);

        // repaired: its agent reports again, yet it stays dead until returned
        site.Agent.Unreachable.Remove(lost);
        await using (var db = site.Database.CreateContext())
        {
            await db.Hosts.Where(h => h.Name == lost).ExecuteUpdateAsync(s => s.SetProperty(h => h.HeartbeatMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        }

        var returned = await site.Client.ReturnHostAsync(lost, CancellationToken.None);
        Assert.Equal((lost, "ready", true), (returned.Host, returned.State, returned.Wiped));
        var inventory = site.Host(lost).Inventory();
        Assert.Empty(inventory.Vms);
        Assert.Empty(inventory.Disks);
        Assert.Empty(inventory.Segments);
        Assert.Equal("ready", (await site.Client.ListHostsAsync(CancellationToken.None)).Single(h => h.Name == lost).State);

        // it takes placements again: a cluster spread over the three hosts has a node there
        await site.Client.CreateClusterAsync(new ClusterSpecInput { Name = "b", Workers = 2, Policy = "spread", Duration = "1h" }, CancellationToken.None);
        var b = await ReadyAsync(site, "b");
        Assert.Contains(b.Nodes!, n => n.Host == lost);
        Assert.Equal("ready", (await ReadyAsync(site, "a")).Nodes!.Single(n => n.Name == "node-02").State);
    }

    private static async Task<ClusterView> ReadyAsync(TestSite site, string name)
    {
        await site.WaitForPhaseAsync(name, "Ready", TimeSpan.FromSeconds(60));
        return await site.Client.GetClusterAsync(name, nodes: true, CancellationToken.None);
    }

    /// <summary>The host's agent stops answering and its last heartbeat is long past.</summary>
    private static async Task KillAsync(TestSite site, string host, HostState state)
    {
        site.Agent.Unreachable.Add(host);
        await using var db = site.Database.CreateContext();
        await db.Hosts.Where(h => h.Name == host).ExecuteUpdateAsync(s => s.SetProperty(h => h.State, state).SetProperty(h => h.HeartbeatMs, 0L));
    }

    private sealed class RecordingFence(bool fenced) : IHostFence
    {
        public List<string> Fenced { get; } = [];

        public Task<FenceResult> FenceAsync(FenceTarget target, CancellationToken cancellationToken)
        {
            lock (Fenced)
            {
                Fenced.Add(target.Host);
            }

            return Task.FromResult(fenced ? FenceResult.Done($"switched off {target.Host}") : FenceResult.NotFenced("the power switch did not answer"));
        }
    }
}
