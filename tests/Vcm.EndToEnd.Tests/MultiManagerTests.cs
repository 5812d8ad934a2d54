using Vcm.Api;
using Vcm.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Vcm.EndToEnd.Tests;

/// <summary>
/// Two manager processes on one PostgreSQL database, both running controllers, share the work: every cluster is
/// provisioned exactly once, and when one manager is killed the other finishes its work.
/// </summary>
public sealed class MultiManagerTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Clusters = 12;
    private readonly TempDirectory _root = new("vcm-e2e-multi");
    private string _database = "";
    private VcmCli _one = null!;
    private VcmCli _two = null!;
    private VcmProcess _managerOne = null!;
    private VcmProcess _managerTwo = null!;
    private VcmProcess _agent = null!;
    private string _agentUrl = "";

    public async Task InitializeAsync()
    {
        var (name, connection) = await PostgresServer.CreateDatabaseAsync();
        _database = name;
        (_one, _managerOne) = await StartServingAsync(_root.Combine("one"), "m-one", connection);
        (_two, _managerTwo) = await StartServingAsync(_root.Combine("two"), "m-two", connection);

        var token = (await _one.JsonAsync<JoinTokenView>("host", "token")).Token;
        _agentUrl = $"http://127.0.0.1:{FreePort.Next()}";
        _agent = VcmProcess.Start(
            _one.Environment, "agent", "--sim", "6", "--sim-latency-ms", "300", "--data", _root.Combine("agent"),
            "--listen", _agentUrl, "--join", _one.Server, "--token", token);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await _two.JsonAsync<List<HostView>>("host", "list")).Count < 6)
        {
            Assert.True(DateTime.UtcNow < deadline, "the agent's hosts never joined");
            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _managerOne.DisposeAsync();
        await _managerTwo.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(_database);
        _root.Dispose();
    }

    [Fact]
    public async Task TwoManagers_ShareTheWork_EachClusterBuiltOnce_SurvivorFinishes()
    {
        // Requests reach both managers, as behind a load balancer.
        for (var i = 0; i < Clusters; i++)
        {
            var create = await (i % 2 == 0 ? _one : _two).RunAsync("cluster", "create", $"m{i:00}", "--workers", "4", "--policy", "spread");
            Assert.True(create.ExitCode == 0, create.StandardError);
        }

        // Kill manager one while it is in the middle of building a cluster.
        var api = Api(_two);
        var orphan = await FindInFlightAsync(api, "m-one");
        await _managerOne.KillAsync();
        output.WriteLine($"killed m-one while it was building {orphan}");

        var views = new List<ClusterView>();
        for (var i = 0; i < Clusters; i++)
        {
            views.Add(await _two.WaitForPhaseAsync($"m{i:00}", "Ready", TimeSpan.FromSeconds(120)));
        }

        var sources = new HashSet<string>();
        foreach (var view in views)
        {
            var events = await api.ListEventsAsync(view.Name, CancellationToken.None);
            sources.UnionWith(events.Where(e => e.Reason is "Provisioning" or "Ready").Select(e => e.Source));
        }

        Assert.Equal(["m-one", "m-two"], sources.Order());
        var finished = (await api.ListEventsAsync(orphan, CancellationToken.None)).Last(e => e.Reason == "Ready");
        Assert.Equal("m-two", finished.Source);

        using var inspector = new AgentInspector(_agentUrl, _root.Combine("agent"));
        var creations = await inspector.CreationsAsync();
        Assert.Equal(Clusters * 5, creations.Count);
        Assert.All(creations, kv => Assert.True(kv.Value == 1, $"{kv.Key} was created {kv.Value} times"));

        foreach (var view in views)
        {
            Assert.Equal(0, (await _two.RunAsync("cluster", "delete", view.Name)).ExitCode);
        }

        foreach (var view in views)
        {
            await _two.WaitForPhaseAsync(view.Name, "Released", TimeSpan.FromSeconds(120));
        }

        Assert.All(await inspector.InventoryAsync(), h => Assert.Empty(h.Vms));
        Assert.All(await inspector.CreationsAsync(), kv => Assert.Equal(1, kv.Value));
    }

    /// <summary>A cluster that <paramref name="manager"/> has begun to provision and not finished.</summary>
    private static async Task<string> FindInFlightAsync(VcmClient api, string manager)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var cluster in (await api.ListClustersAsync(false, CancellationToken.None)).Where(c => c.Phase == "Provisioning"))
            {
                var events = await api.ListEventsAsync(cluster.Name, CancellationToken.None);
                if (events.Any(e => e.Reason == "Provisioning" && e.Source == manager) && events.All(e => e.Reason != "Ready"))
                {
                    return cluster.Name;
                }
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"{manager} was never seen building a cluster");
    }

    private static VcmClient Api(VcmCli cli) =>
        VcmClient.Create(cli.Server, File.ReadAllText(Path.Combine(cli.DataDirectory, "admin.token")).Trim());

    /// <summary>Starts a manager on a free port; another on a fresh port if that one was taken meanwhile by another test's process.</summary>
    private static async Task<(VcmCli Cli, VcmProcess Manager)> StartServingAsync(string data, string id, string connection)
    {
        for (var attempt = 1; ; attempt++)
        {
            var cli = new VcmCli($"http://127.0.0.1:{FreePort.Next()}", data);
            var manager = StartManager(cli, id, connection);
            try
            {
                await cli.WaitUntilUpAsync(process: manager);
                return (cli, manager);
            }
            catch (InvalidOperationException) when (attempt < 3 && manager.Log.Contains("address already in use", StringComparison.Ordinal))
            {
                await manager.DisposeAsync();
            }
        }
    }

    private static VcmProcess StartManager(VcmCli cli, string id, string connection) => VcmProcess.Start(
        cli.Environment,
        "manager", "--db", "postgres", "--connection", connection, "--id", id, "--lease-seconds", "3",
        "--data", cli.DataDirectory, "--listen", cli.Server);
}
