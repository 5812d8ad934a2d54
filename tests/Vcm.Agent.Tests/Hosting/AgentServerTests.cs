using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Vcm.Agent.Hosting;
using Vcm.Agent.Sim;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Hosts;
using Vcm.Drivers.Images;
using Vcm.Drivers.Network;
using Vcm.Drivers.Rpc;
using Vcm.Testing;
using Xunit;

namespace Vcm.Agent.Tests.Hosting;

/// <summary>The agent's RPC server over real HTTP on loopback, serving three simulated hosts.</summary>
public sealed class AgentServerTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new("vcm-agent-rpc");
    private readonly HttpClient _client = new();
    private WebApplication? _app;
    private AgentHosts? _hosts;
    private string _key = "";

    private static readonly SegmentSpec Segment = new() { Bridge = "vc-tr-br", Vxlan = "vc-tr-vx", Vni = 4545, Peers = ["192.0.2.10"] };

    private static readonly DiskSpec Disk = new("vc-tr-n1.qcow2", "micro", 64);

    private static readonly VmSpec Vm = new()
    {
        Name = "vc-tr-n1",
        Cpus = 1,
        MemoryMb = 128,
        Disk = Disk.Name,
        Mac = "52:54:00:00:00:01",
        Bridge = Segment.Bridge,
    };

    private static List<HostStep> Build() =>
        [new EnsureSegmentStep(Segment), new EnsureImageStep("micro"), new EnsureDiskStep(Disk), new EnsureVmStep(Vm)];

    private AgentHosts Hosts => _hosts!;

    private SimHost Sim(string name) => (SimHost)Hosts.ByName[name];

    public async Task InitializeAsync()
    {
        _hosts = AgentHosts.Simulated(3, "rpc", new SimOptions { StateDirectory = _data.Combine("sim") });
        _app = AgentServer.Build(new AgentOptions { DataDirectory = _data.Combine("agent") }, _hosts, _ => { });
        await _app.StartAsync();
        _client.BaseAddress = new Uri(AgentServer.ListeningUrl(_app));
        _key = AgentIdentity.LoadOrCreate(_data.Combine("agent")).Key;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        try
        {
            if (_app is not null)
            {
                await _app.StopAsync();
                await _app.DisposeAsync();
            }
        }
        finally
        {
            _data.Dispose();
        }
    }

    private HttpRequestMessage Request(HttpMethod method, string path, object? body = null, string? key = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: AgentJson.Options);
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key ?? _key);
        return request;
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body = null)
    {
        using var request = Request(method, path, body);
        using var response = await _client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>(AgentJson.Options))!;
    }

    private Task<ApplyResponse> ApplyAsync(params HostWork[] work) =>
        SendAsync<ApplyResponse>(HttpMethod.Post, AgentPaths.Apply, new ApplyRequest(work));

    public static TheoryData<string, string> Routes => new()
    {
        { "POST", AgentPaths.Apply },
        { "GET", AgentPaths.Hosts },
        { "POST", AgentPaths.Vms },
        { "GET", AgentPaths.Inventory("rpc-001") },
        { "GET", "/agent/v1/sim/rpc-001/creations" },
        { "GET", "/agent/v1/nosuch" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Request_WithoutKey_Is401(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Request_WithWrongKey_Is401(string method, string path)
    {
        foreach (var key in new[] { "wrong", _key + "x", _key[..^1], _key.ToUpperInvariant() })
        {
            using var request = Request(new HttpMethod(method), path, method == "POST" ? new ApplyRequest([]) : null, key);

            using var response = await _client.SendAsync(request);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task Request_KeyInAnotherScheme_Is401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, AgentPaths.Hosts);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", _key);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Request_UnauthorizedApply_ChangesNothing()
    {
        using var request = Request(HttpMethod.Post, AgentPaths.Apply, new ApplyRequest([new HostWork("rpc-001", Build())]), "wrong");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(Sim("rpc-001").Inventory().Segments);
    }

    [Fact]
    public async Task Hosts_WithKey_ListsEveryHostsFacts()
    {
        var facts = await SendAsync<List<HostFacts>>(HttpMethod.Get, AgentPaths.Hosts);

        Assert.Equal(["rpc-001", "rpc-002", "rpc-003"], facts.Select(f => f.Name));
        Assert.Equal(["compute", "gateway", "storage"], facts[0].Roles);
        Assert.Equal(["compute"], facts[1].Roles);
        Assert.All(facts, f => Assert.Equal("sim", f.Driver));
        Assert.Equal(Hosts.Facts.Select(f => f.Address), facts.Select(f => f.Address));
    }

    [Fact]
    public async Task Apply_WithKey_BuildsNodesEndToEnd()
    {
        var response = await ApplyAsync(new HostWork("rpc-002", Build()), new HostWork("rpc-003", Build()));

        Assert.Equal(["rpc-002", "rpc-003"], response.Hosts.Select(h => h.Host));
        Assert.All(response.Hosts, h => Assert.Equal(
            [StepOutcome.Created, StepOutcome.Created, StepOutcome.Created, StepOutcome.Created],
            h.Results.Select(r => r.Outcome)));
        Assert.Equal(new VmStatus(Vm.Name, VmState.Running, Usage: new VmUsage(0, Vm.MemoryMb * 1024 * 1024)), response.Hosts[0].Results[^1].Vm);
        Assert.Equal([Vm.Name], Sim("rpc-002").Inventory().Vms.Select(v => v.Name));
        Assert.Equal([Vm.Name], Sim("rpc-003").Inventory().Vms.Select(v => v.Name));
        Assert.Empty(Sim("rpc-001").Inventory().Vms);
    }

    [Fact]
    public async Task Apply_Twice_SecondIsUnchanged()
    {
        await ApplyAsync(new HostWork("rpc-002", Build()));

        var again = await ApplyAsync(new HostWork("rpc-002", Build()));

        Assert.All(Assert.Single(again.Hosts).Results, r => Assert.Equal(StepOutcome.Unchanged, r.Outcome));
        Assert.Equal(1, Sim("rpc-002").VmCreations()[Vm.Name]);
    }

    [Fact]
    public async Task Apply_FailureAndUnknownHost_AreReportedPerStep()
    {
        List<HostStep> wrongOrder = [new EnsureDiskStep(Disk), new EnsureImageStep("micro")];

        var response = await ApplyAsync(new HostWork("rpc-002", wrongOrder), new HostWork("nosuch", Build()));

        var host = response.Hosts[0];
        Assert.Equal([StepOutcome.Failed, StepOutcome.Skipped], host.Results.Select(r => r.Outcome));
        Assert.False(string.IsNullOrEmpty(host.Results[0].Error));
        var unknown = response.Hosts[1];
        Assert.Equal("nosuch", unknown.Host);
        Assert.All(unknown.Results, r => Assert.True(r.Outcome == StepOutcome.Failed && r.Terminal, $"{r.Kind}: {r.Outcome}"));
    }

    /// <summary>The wire format written by hand: camelCase names, the "kind" discriminator, enums as camelCase strings.</summary>
    [Fact]
    public async Task Apply_HandWrittenJson_UsesKindDiscriminator()
    {
        const string body = """
            {"hosts":[{"host":"rpc-001","steps":[
              {"kind":"ensureSegment","segment":{"bridge":"vc-tr-br","vxlan":"vc-tr-vx","vni":4545,"peers":["192.0.2.10"]}},
              {"kind":"ensureVolume","volume":{"name":"vc-tr-vol","sizeMb":64,"initiators":["iqn.2026-11.io.vcm.test:tr-n1"]}},
              {"kind":"deleteGateway","name":"vc-tr-gw"}
            ]}]}
            """;
        using var request = new HttpRequestMessage(HttpMethod.Post, AgentPaths.Apply) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _key);

        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(text);
        var results = json.RootElement.GetProperty("hosts")[0].GetProperty("results");
        Assert.Equal(["ensureSegment", "ensureVolume", "deleteGateway"], results.EnumerateArray().Select(r => r.GetProperty("kind").GetString()));
        Assert.Equal(["created", "created", "absent"], results.EnumerateArray().Select(r => r.GetProperty("outcome").GetString()));
        Assert.Equal("iqn.2026-11.vcm:vc-tr-vol", results[1].GetProperty("volume").GetProperty("target").GetString());
        Assert.Equal(["vc-tr-br"], Sim("rpc-001").Inventory().Segments);
    }

    [Fact]
    public async Task Apply_SerializedSteps_CarryKind()
    {
        var json = JsonSerializer.Serialize(new ApplyRequest([new HostWork("rpc-001", Build())]), AgentJson.Options);

        using var document = JsonDocument.Parse(json);
        var steps = document.RootElement.GetProperty("hosts")[0].GetProperty("steps");
        Assert.Equal(["ensureSegment", "ensureImage", "ensureDisk", "ensureVm"], steps.EnumerateArray().Select(s => s.GetProperty("kind").GetString()));

        var roundTripped = JsonSerializer.Deserialize<ApplyRequest>(json, AgentJson.Options)!;
        Assert.Equal(Build().Select(s => s.GetType()), roundTripped.Hosts[0].Steps.Select(s => s.GetType()));
        var response = await ApplyAsync(roundTripped.Hosts[0]);
        Assert.All(response.Hosts[0].Results, r => Assert.Equal(StepOutcome.Created, r.Outcome));
    }

    [Fact]
    public async Task Apply_UnknownKind_IsBadRequestAndChangesNothing()
    {
        const string body = """{"hosts":[{"host":"rpc-001","steps":[{"kind":"formatHost","name":"x"}]}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, AgentPaths.Apply) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _key);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(Sim("rpc-001").Inventory().Segments);
    }

    [Fact]
    public async Task Vms_ReturnsEachKnownHostsVms()
    {
        await ApplyAsync(new HostWork("rpc-002", Build()));
        Assert.True(Sim("rpc-002").KillVm(Vm.Name));

        var vms = await SendAsync<Dictionary<string, List<VmStatus>>>(HttpMethod.Post, AgentPaths.Vms, new List<string> { "rpc-001", "rpc-002", "nosuch" });

        Assert.Equal(["rpc-001", "rpc-002"], vms.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(vms["rpc-001"]);
        Assert.Equal([new VmStatus(Vm.Name, VmState.Stopped, "killed")], vms["rpc-002"]);
    }

    [Fact]
    public async Task Inventory_KnownHost_ListsWhatWasMade()
    {
        await ApplyAsync(new HostWork("rpc-001", Build()));

        var inventory = await SendAsync<HostInventory>(HttpMethod.Get, AgentPaths.Inventory("rpc-001"));

        Assert.Equal("rpc-001", inventory.Host);
        Assert.Equal([new VmStatus(Vm.Name, VmState.Running, Usage: new VmUsage(0, Vm.MemoryMb * 1024 * 1024))], inventory.Vms);
        Assert.Equal([Segment.Bridge], inventory.Segments);
        Assert.Equal(["micro"], inventory.Images);
        Assert.Equal([Disk.Name], inventory.Disks);
        Assert.Empty(inventory.Gateways);
        Assert.Empty(inventory.Volumes);
    }

    [Fact]
    public async Task Inventory_UnknownHost_Is404()
    {
        using var request = Request(HttpMethod.Get, AgentPaths.Inventory("nosuch"));

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Release_ThroughApply_LeavesAnEmptyInventory()
    {
        await ApplyAsync(new HostWork("rpc-001", Build()));
        List<HostStep> release = [new DeleteVmStep(Vm.Name), new DeleteDiskStep(Disk.Name), new DeleteGatewayStep("vc-tr-gw"), new DeleteSegmentStep(Segment.Bridge)];

        var response = await ApplyAsync(new HostWork("rpc-001", release, ContinueOnError: true));

        Assert.Equal(
            [StepOutcome.Deleted, StepOutcome.Deleted, StepOutcome.Absent, StepOutcome.Deleted],
            response.Hosts[0].Results.Select(r => r.Outcome));
        var inventory = await SendAsync<HostInventory>(HttpMethod.Get, AgentPaths.Inventory("rpc-001"));
        Assert.Empty(inventory.Vms);
        Assert.Empty(inventory.Disks);
        Assert.Empty(inventory.Segments);
    }

    [Fact]
    public async Task SimRoutes_KillThenApply_RestartsWithoutCreatingAgain()
    {
        await ApplyAsync(new HostWork("rpc-003", Build()));
        using (var kill = Request(HttpMethod.Post, $"/agent/v1/sim/rpc-003/vms/{Vm.Name}/kill"))
        using (var killed = await _client.SendAsync(kill))
        {
            Assert.Equal(HttpStatusCode.NoContent, killed.StatusCode);
        }

        var response = await ApplyAsync(new HostWork("rpc-003", [new EnsureVmStep(Vm)]));
        var creations = await SendAsync<Dictionary<string, int>>(HttpMethod.Get, "/agent/v1/sim/rpc-003/creations");

        Assert.Equal(StepOutcome.Updated, response.Hosts[0].Results[0].Outcome);
        Assert.Equal(1, creations[Vm.Name]);
    }

    [Fact]
    public async Task Identity_IsKeptInThePrivateDataFolderFile()
    {
        var file = _data.Combine("agent", "agent.json");

        Assert.True(File.Exists(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(AgentIdentity.LoadOrCreate(_data.Combine("agent")), AgentIdentity.LoadOrCreate(_data.Combine("agent")));
        Assert.Contains(_key, await File.ReadAllTextAsync(file), StringComparison.Ordinal);
    }

    /// <summary>A restarted agent keeps its key (the manager still holds it) and its simulated hosts' inventory.</summary>
    [Fact]
    public async Task Restart_SameDataFolder_SameKeyAndInventory()
    {
        await ApplyAsync(new HostWork("rpc-002", Build()));
        await _app!.StopAsync();
        await _app.DisposeAsync();
        _app = null;

        var hosts = AgentHosts.Simulated(3, "rpc", new SimOptions { StateDirectory = _data.Combine("sim") });
        _app = AgentServer.Build(new AgentOptions { DataDirectory = _data.Combine("agent") }, hosts, _ => { });
        await _app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(AgentServer.ListeningUrl(_app)) };
        using var request = Request(HttpMethod.Get, AgentPaths.Inventory("rpc-002"));
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var inventory = (await response.Content.ReadFromJsonAsync<HostInventory>(AgentJson.Options))!;
        Assert.Equal([Vm.Name], inventory.Vms.Select(v => v.Name));
    }
}
