using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Vcm.Drivers.Hosts;
using Vcm.Drivers.Rpc;
using Vcm.Manager.Configuration;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Api;

/// <summary>
/// Who may join and with what: only a join token lets a new agent in, an agent comes back with its own key, no join
/// takes another agent's host, and no join or heartbeat registers a host with no or absurd capacity or unknown
/// drivers and roles — each refusal a problem detail, with nothing written.
/// </summary>
public sealed class AgentJoinTests : IAsyncLifetime
{
    private const string SiteAgent = "agent-in-process";
    private const string SiteKey = "in-process-key-0123456789";
    private const string NewKey = "new-agent-key-0123456789";

    private TestSite _site = null!;

    public async Task InitializeAsync() =>
        _site = await TestSite.StartAsync(TestDatabase.FromEnvironment(), hosts: 2, controllers: new ControllerOptions { Enabled = false });

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task Join_WithAJoinToken_RegistersTheHosts()
    {
        var token = await _site.Manager.CreateJoinTokenAsync(CancellationToken.None);

        var response = await JoinAsync(new AgentJoinRequest(token, "agent-new", NewKey, "http://127.0.0.1:1", [Host("new-1"), Host("new-2")]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var joined = await response.Content.ReadFromJsonAsync<AgentJoinResponse>(AgentJson.Options);
        Assert.Equal(["new-1", "new-2"], joined!.Hosts);
        Assert.Equal(4, (await _site.Client.ListHostsAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Join_WithTheAdminToken_401_NothingRegistered()
    {
        var before = await DbSnapshot.TakeAsync(_site.Database);

        var response = await JoinAsync(new AgentJoinRequest(_site.Manager.AdminToken, "agent-new", NewKey, "http://127.0.0.1:1", [Host("new-1")]));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(401, (await Requests.ProblemAsync(response)).Status);
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }

    [Fact]
    public async Task Join_AHostAnotherAgentHolds_409NamingTheHost_NothingRegistered()
    {
        var token = await _site.Manager.CreateJoinTokenAsync(CancellationToken.None);
        var before = await DbSnapshot.TakeAsync(_site.Database);

        var response = await JoinAsync(new AgentJoinRequest(
            token, "agent-thief", NewKey, "http://127.0.0.1:1", [Host("new-1"), Host("sim-001") with { Cpus = 4096, MemoryMb = 1 }]));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await Requests.ProblemAsync(response);
        Assert.Contains("host sim-001 belongs to agent agent-in-process, which is not down", problem.Detail, StringComparison.Ordinal);
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }

    [Fact]
    public async Task Join_AKnownAgentIdWithAnotherKey_409_NothingChanged()
    {
        var token = await _site.Manager.CreateJoinTokenAsync(CancellationToken.None);
        var before = await DbSnapshot.TakeAsync(_site.Database);

        var response = await JoinAsync(new AgentJoinRequest(token, SiteAgent, NewKey, "http://127.0.0.1:1", [Host("new-1")]));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains($"agent id {SiteAgent} is taken", (await Requests.ProblemAsync(response)).Detail, StringComparison.Ordinal);
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }

    [Fact]
    public async Task Join_TheSameAgentAgainWithItsKey_NoTokenNeeded_ItsHostsUpdated()
    {
        // as when `vcm up` starts the agent again: the same id and key from its folder, an old (or no) join token
        var facts = _site.Agent.Hosts.Facts.Select(f => f with { Cpus = 16 }).ToList();

        var response = await JoinAsync(new AgentJoinRequest("", SiteAgent, SiteKey, "http://127.0.0.1:2", facts));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var hosts = await _site.Client.ListHostsAsync(CancellationToken.None);
        Assert.Equal(2, hosts.Count);
        Assert.All(hosts, h => Assert.Equal(16, h.Capacity.Cpus));
    }

    [Fact]
    public async Task Join_HostsWithBadFacts_422ListsEveryProblem_NothingRegistered()
    {
        var token = await _site.Manager.CreateJoinTokenAsync(CancellationToken.None);
        var before = await DbSnapshot.TakeAsync(_site.Database);
        HostFacts[] hosts =
        [
            Host("bad-1") with { Cpus = -1, MemoryMb = 0, DiskMb = -5, Driver = "xen", Roles = ["compute", "kubernetes"] },
            Host("bad-2") with { Cpus = 100_000, MemoryMb = long.MaxValue, Roles = [], Address = "not-an-ip", WanAddress = "wan" },
            Host("bad-1"),
        ];

        var response = await JoinAsync(new AgentJoinRequest(token, "agent-new", NewKey, "http://127.0.0.1:1", hosts));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await Requests.ProblemAsync(response);
        Assert.Equal(
            ["hosts[0].cpus", "hosts[0].diskMb", "hosts[0].driver", "hosts[0].memoryMb", "hosts[0].roles[1]",
             "hosts[1].address", "hosts[1].cpus", "hosts[1].memoryMb", "hosts[1].roles", "hosts[1].wanAddress", "hosts[2].name"],
            problem.Errors!.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }

    [Fact]
    public async Task Heartbeat_AbsurdCapacity_422_HostsUnchanged()
    {
        var before = await DbSnapshot.TakeAsync(_site.Database);
        var facts = _site.Agent.Hosts.Facts.Select((f, i) => i == 0 ? f with { Cpus = 100_000, MemoryMb = 1 } : f with { DiskMb = 0 }).ToList();

        var response = await HeartbeatAsync(new AgentHeartbeat(SiteAgent, "http://in-process", facts), SiteKey);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await Requests.ProblemAsync(response);
        Assert.Equal(["hosts[0].cpus", "hosts[1].diskMb"], problem.Errors!.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }

    [Fact]
    public async Task Heartbeat_BadWanPaths_422ListsEach_HostsUnchanged()
    {
        var before = await DbSnapshot.TakeAsync(_site.Database);
        var facts = _site.Agent.Hosts.Facts.Select((f, i) => i switch
        {
            0 => f with { WanAddress = "172.16.0.1", WanAddresses = ["172.16.0.1", "wan1", "172.16.0.1"] },
            1 => f with { WanAddress = "172.16.0.9", WanAddresses = ["172.16.0.1", "172.16.1.1"] },
            _ => f,
        }).ToList();

        var response = await HeartbeatAsync(new AgentHeartbeat(SiteAgent, "http://in-process", facts), SiteKey);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await Requests.ProblemAsync(response);
        Assert.Equal(["hosts[0].wanAddresses", "hosts[0].wanAddresses[1]", "hosts[1].wanAddress"], problem.Errors!.Select(e => e.Field).Order(StringComparer.Ordinal));
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(_site.Database)));
    }

    [Fact]
    public async Task Heartbeat_TwoWanAddresses_BothRecordedInPathOrder()
    {
        var facts = _site.Agent.Hosts.Facts.Select((f, i) => i == 0 ? f with { WanAddress = "172.16.0.1", WanAddresses = ["172.16.0.1", "172.16.1.1"] } : f).ToList();

        var response = await HeartbeatAsync(new AgentHeartbeat(SiteAgent, "http://in-process", facts), SiteKey);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var host = (await new Vcm.Store.Hosts.HostStore(_site.Database).ListAsync(null, CancellationToken.None)).Single(h => h.Name == facts[0].Name);
        Assert.Equal(("172.16.0.1", "172.16.0.1,172.16.1.1"), (host.WanAddress, host.WanAddresses));
    }

    [Fact]
    public async Task Heartbeat_WanAddressesNull_204_AsWithNone()
    {
        var beat = System.Text.Json.Nodes.JsonNode.Parse(
            System.Text.Json.JsonSerializer.Serialize(new AgentHeartbeat(SiteAgent, "http://in-process", _site.Agent.Hosts.Facts.ToList()), AgentJson.Options))!;
        beat["hosts"]![0]!["wanAddresses"] = null;
        beat["hosts"]![0]!["wanAddress"] = "172.16.0.1";
        using var message = new HttpRequestMessage(HttpMethod.Post, AgentPaths.Heartbeat)
        {
            Content = new StringContent(beat.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SiteKey);

        var response = await _site.Anonymous.SendAsync(message);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var host = (await new Vcm.Store.Hosts.HostStore(_site.Database).ListAsync(null, CancellationToken.None)).Single(h => h.Name == _site.Agent.Hosts.Facts[0].Name);
        Assert.Equal(("172.16.0.1", (string?)null), (host.WanAddress, host.WanAddresses));
    }

    [Fact]
    public async Task Heartbeat_SoundFactsWithTheAgentsKey_204_CapacityRecorded()
    {
        var facts = _site.Agent.Hosts.Facts.Select(f => f with { Cpus = 48 }).ToList();

        var response = await HeartbeatAsync(new AgentHeartbeat(SiteAgent, "http://in-process", facts), SiteKey);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.All(await _site.Client.ListHostsAsync(CancellationToken.None), h => Assert.Equal(48, h.Capacity.Cpus));
    }

    private static HostFacts Host(string name) => new()
    {
        Name = name, Cpus = 8, MemoryMb = 16_384, DiskMb = 100_000, Roles = ["compute"], Address = "127.0.0.9", Driver = "sim",
    };

    private Task<HttpResponseMessage> JoinAsync(AgentJoinRequest request) =>
        _site.Anonymous.PostAsJsonAsync(AgentPaths.Join, request, AgentJson.Options);

    private async Task<HttpResponseMessage> HeartbeatAsync(AgentHeartbeat beat, string key)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, AgentPaths.Heartbeat) { Content = JsonContent.Create(beat, options: AgentJson.Options) };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await _site.Anonymous.SendAsync(message);
    }
}
