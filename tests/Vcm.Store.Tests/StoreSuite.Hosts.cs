using Vcm.Domain.Hosts;
using Microsoft.EntityFrameworkCore;
using Vcm.Store.Hosts;
using Vcm.Testing;
using Xunit;

namespace Vcm.Store.Tests;

public abstract partial class StoreSuite
{
    private const string AgentKey = "agent-key-0123456789";

    [Fact]
    public async Task Join_RegistersTheAgentAndItsHosts()
    {
        var site = await Seed.SiteAsync(Database);

        var joined = await HostStore.JoinAsync(site.Id, "agent-1", AgentKey, "http://a1", [Report("h2", 8), Report("h1", 4)], Now, Ct);

        Assert.Empty(joined.Conflicts);
        Assert.Equal(["h1", "h2"], joined.Hosts.Select(h => h.Name));
        var listed = await HostStore.ListAsync(site.Id, Ct);
        Assert.Equal(joined.Hosts.Select(h => h.Id), listed.Select(h => h.Id));
        Assert.All(listed, h => Assert.Equal((site.Id, "agent-1", HostState.Ready, Now), (h.SiteId, h.AgentId, h.State, h.HeartbeatMs)));
        Assert.Equal([4L, 8L], listed.Select(h => h.Cpus));
        var agent = Assert.Single(await HostStore.ListAgentsAsync(Ct));
        Assert.Equal(("agent-1", site.Id, "http://a1", AgentKey, Now, Now), (agent.Id, agent.SiteId, agent.Url, agent.Key, agent.JoinedMs, agent.HeartbeatMs));
    }

    [Fact]
    public async Task Join_AgainWithTheSameNames_UpdatesNotDuplicates()
    {
        var site = await Seed.SiteAsync(Database);
        var first = await HostStore.JoinAsync(site.Id, "agent-1", AgentKey, "http://a1", [Report("h1", 4), Report("h2", 4)], Now, Ct);

        var again = await HostStore.JoinAsync(
            site.Id, "agent-1", AgentKey, "http://a1-new", [Report("h1", 16, "10.1.1.1"), Report("h2", 4), Report("h3", 2)], Now + 5000, Ct);

        Assert.Equal(["h1", "h2", "h3"], again.Hosts.Select(h => h.Name));
        var listed = await HostStore.ListAsync(site.Id, Ct);
        Assert.Equal(3, listed.Count);
        Assert.Equal(first.Hosts.Select(h => h.Id), listed.Take(2).Select(h => h.Id));
        Assert.Equal((16L, "10.1.1.1", Now + 5000, 2L), (listed[0].Cpus, listed[0].Address, listed[0].HeartbeatMs, listed[0].Version));
        var agent = Assert.Single(await HostStore.ListAgentsAsync(Ct));
        Assert.Equal((AgentKey, "http://a1-new", Now, Now + 5000), (agent.Key, agent.Url, agent.JoinedMs, agent.HeartbeatMs));
    }

    [Fact]
    public async Task Join_KnownAgentIdWithAnotherKey_OrAnotherAgentsHost_ConflictsAndWritesNothing()
    {
        var site = await Seed.SiteAsync(Database);
        await HostStore.JoinAsync(site.Id, "agent-1", AgentKey, "http://a1", [Report("h1", 4), Report("h2", 4)], Now, Ct);
        var before = await DbSnapshot.TakeAsync(Database);

        var sameId = await HostStore.JoinAsync(site.Id, "agent-1", "thief-key-0123456789", "http://evil", [Report("h9", 4)], Now + 1, Ct);
        var otherAgent = await HostStore.JoinAsync(
            site.Id, "agent-2", "thief-key-0123456789", "http://evil", [Report("h3", 4), Report("h2", 100_000), Report("h1", 1)], Now + 1, Ct);

        Assert.Equal(["agent id agent-1 is taken by another agent (with another key)"], sameId.Conflicts);
        Assert.Equal(["host h1 belongs to agent agent-1, which is not down", "host h2 belongs to agent agent-1, which is not down"], otherAgent.Conflicts);
        Assert.Empty(otherAgent.Hosts);
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(Database)));
    }

    [Fact]
    public async Task Join_AnotherAgentIdWithTheHoldersKey_TakesTheHostOver()
    {
        var site = await Seed.SiteAsync(Database);
        await HostStore.JoinAsync(site.Id, "agent-1", AgentKey, "http://a1", [Report("h1", 4)], Now, Ct);

        var moved = await HostStore.JoinAsync(site.Id, "agent-2", AgentKey, "http://a2", [Report("h1", 8)], Now + 1, Ct);

        Assert.Empty(moved.Conflicts);
        var host = Assert.Single(await HostStore.ListAsync(site.Id, Ct));
        Assert.Equal(("agent-2", 8L), (host.AgentId, host.Cpus));
    }

    [Fact]
    public async Task Join_AHostMarkedDown_AnotherAgentMayTakeIt()
    {
        var site = await Seed.SiteAsync(Database);
        await HostStore.JoinAsync(site.Id, "agent-1", AgentKey, "http://a1", [Report("h1", 4), Report("h2", 4)], Now, Ct);
        await HostStore.HeartbeatAsync("agent-1", AgentKey, "http://a1", [Report("h2", 4)], Now + 60_000, Ct);
        Assert.Equal(1, await HostStore.MarkStaleDownAsync(Now + 30_000, Ct)); // h1 only

        var joined = await HostStore.JoinAsync(site.Id, "agent-2", "other-key-0123456789", "http://a2", [Report("h1", 8)], Now + 61_000, Ct);
        var refused = await HostStore.JoinAsync(site.Id, "agent-2", "other-key-0123456789", "http://a2", [Report("h2", 8)], Now + 61_000, Ct);

        Assert.Empty(joined.Conflicts);
        Assert.Equal(["host h2 belongs to agent agent-1, which is not down"], refused.Conflicts);
        var hosts = await HostStore.ListAsync(site.Id, Ct);
        Assert.Equal([("h1", "agent-2", HostState.Ready), ("h2", "agent-1", HostState.Ready)], hosts.Select(h => (h.Name, h.AgentId, h.State)));
    }

    [Fact]
    public async Task Heartbeat_WrongKeyOrUnknownAgent_RefusedAndChangesNothing()
    {
        var site = await Seed.SiteAsync(Database);
        await HostStore.JoinAsync(site.Id, "agent-1", AgentKey, "http://a1", [Report("h1", 4)], Now, Ct);
        var before = await DbSnapshot.TakeAsync(Database);

        Assert.False(await HostStore.HeartbeatAsync("agent-1", "wrong-key-0123456789", "http://evil", [Report("h1", 64)], Now + 1000, Ct));
        Assert.False(await HostStore.HeartbeatAsync("agent-1", AgentKey[..^1], "http://evil", [Report("h1", 64)], Now + 1000, Ct));
        Assert.False(await HostStore.HeartbeatAsync("agent-2", AgentKey, "http://evil", [Report("h1", 64)], Now + 1000, Ct));

        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(Database)));
    }

    [Fact]
    public async Task Heartbeat_RightKey_UpdatesAgentAndHosts()
    {
        var site = await Seed.SiteAsync(Database);
        await HostStore.JoinAsync(site.Id, "agent-1", AgentKey, "http://a1", [Report("h1", 4), Report("h2", 4)], Now, Ct);

        Assert.True(await HostStore.HeartbeatAsync("agent-1", AgentKey, "http://a1-moved", [Report("h1", 6), Report("h2", 4)], Now + 1000, Ct));

        var agent = Assert.Single(await HostStore.ListAgentsAsync(Ct));
        Assert.Equal(("http://a1-moved", Now + 1000), (agent.Url, agent.HeartbeatMs));
        var hosts = await HostStore.ListAsync(site.Id, Ct);
        Assert.All(hosts, h => Assert.Equal((Now + 1000, HostState.Ready), (h.HeartbeatMs, h.State)));
        Assert.Equal([6L, 4L], hosts.Select(h => h.Cpus));
    }

    [Fact]
    public async Task MarkStaleDown_OnlyStaleReadyHosts_HeartbeatBringsThemBack()
    {
        var site = await Seed.SiteAsync(Database);
        await HostStore.JoinAsync(site.Id, "agent-a", AgentKey, "http://a", [Report("a1", 4), Report("a2", 4), Report("a3", 4)], Now, Ct);
        await HostStore.JoinAsync(site.Id, "agent-b", AgentKey, "http://b", [Report("b1", 4)], Now + 5000, Ct);
        await using (var db = Database.CreateContext())
        {
            await db.Hosts.Where(h => h.Name == "a3").ExecuteUpdateAsync(s => s.SetProperty(h => h.State, HostState.Draining));
        }

        Assert.Equal(2, await HostStore.MarkStaleDownAsync(Now + 3000, Ct));

        Assert.Equal(["down", "down", "draining", "ready"], await StatesAsync());
        Assert.Equal(0, await HostStore.MarkStaleDownAsync(Now + 3000, Ct));

        Assert.True(await HostStore.HeartbeatAsync("agent-a", AgentKey, "http://a", [Report("a1", 4), Report("a2", 4), Report("a3", 4)], Now + 6000, Ct));

        Assert.Equal(["ready", "ready", "draining", "ready"], await StatesAsync());
        Assert.Equal(0, await HostStore.MarkStaleDownAsync(Now + 3000, Ct));

        async Task<List<string>> StatesAsync() => (await HostStore.ListAsync(site.Id, Ct)).Select(h => Domain.Text.EnumText.Lower(h.State)).ToList();
    }

    private static HostStore.HostReport Report(string name, long cpus, string address = "10.0.0.1") =>
        new(name, 7, cpus, 65_536, 1_000_000, true, address, "sim");
}
