using Npgsql;
using Vcm.Api;
using Vcm.Drivers.Processes;
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
    private string _connection = "";
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
        _connection = connection;
        (_one, _managerOne) = await StartServingAsync(_root.Combine("one"), "m-one", connection);
        (_two, _managerTwo) = await StartServingAsync(_root.Combine("two"), "m-two", connection);

        var token = (await _one.JsonAsync<JoinTokenView>("host", "token")).Token!;
        _agentUrl = $"http://127.0.0.1:{FreePort.Next()}";
        // the join token by the environment, as an operator keeps it off the process list
        _agent = VcmProcess.Start(
            new Dictionary<string, string?>(_one.Environment) { ["VCM_JOIN_TOKEN"] = token }, "agent", "--sim", "6", "--sim-latency-ms", "1000", "--data", _root.Combine("agent"),
            "--listen", _agentUrl, "--join", _one.Server);
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

        // Kill manager one while it provably holds a cluster it is building: the lease in its name, read while it is
        // frozen, says it had that cluster's work when it stopped.
        var orphan = await FreezeWhileBuildingAsync(_managerOne, "m-one");
        await _managerOne.KillAsync();
        output.WriteLine($"killed m-one while it held the lease of {orphan}, which it was building");

        var views = new List<ClusterView>();
        for (var i = 0; i < Clusters; i++)
        {
            views.Add(await _two.WaitForPhaseAsync($"m{i:00}", "Ready", TimeSpan.FromSeconds(120)));
        }

        var api = Api(_two);
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

    /// <summary>
    /// Freezes <paramref name="process"/> (SIGSTOP) at a moment it holds the lease of a cluster in Provisioning, and
    /// returns that cluster's name; the process stays frozen. A frozen manager writes nothing, so the lease read from
    /// the database after every thread of it has stopped is one it held when it stopped.
    /// </summary>
    private async Task<string> FreezeWhileBuildingAsync(VcmProcess process, string manager)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        await using var db = new NpgsqlConnection(_connection);
        await db.OpenAsync();
        for (var attempt = 1; ; attempt++)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{manager} was never seen holding the lease of a cluster in Provisioning ({attempt} looks)");
            var candidate = await ScalarAsync(db, "SELECT name FROM clusters WHERE lease_owner = @value AND phase = 'Provisioning' ORDER BY name LIMIT 1", manager);
            if (candidate is null)
            {
                await Task.Delay(20);
                continue;
            }

            Assert.True(Signals.Stop(process.Pid), $"could not stop {manager}");
            await WaitUntilStoppedAsync(process.Pid);
            var owner = await ScalarAsync(db, "SELECT lease_owner FROM clusters WHERE name = @value AND phase = 'Provisioning'", candidate);
            if (owner == manager)
            {
                output.WriteLine($"{manager} frozen holding {candidate} after {attempt} looks");
                return candidate;
            }

            Assert.True(Signals.Continue(process.Pid), $"could not thaw {manager}");
        }
    }

    private static async Task<string?> ScalarAsync(NpgsqlConnection db, string sql, string value)
    {
        await using var command = new NpgsqlCommand(sql, db);
        command.Parameters.AddWithValue("value", value);
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>Waits until every thread of the process is stopped (state T): a stop signal takes effect a moment after it is sent.</summary>
    private static async Task WaitUntilStoppedAsync(int pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Directory.EnumerateDirectories($"/proc/{pid}/task").Any(t => State(t) != 'T'))
        {
            Assert.True(DateTime.UtcNow < deadline, $"process {pid} did not stop");
            await Task.Delay(1);
        }
    }

    /// <summary>A thread's state letter from its stat; a thread that has ended meanwhile runs no more and counts as stopped.</summary>
    private static char State(string task)
    {
        try
        {
            var stat = File.ReadAllText(Path.Combine(task, "stat"));
            return stat[stat.LastIndexOf(')') + 2];
        }
        catch (IOException)
        {
            return 'T';
        }
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
        "--data", cli.DataDirectory, "--listen", cli.Server,
        // managers sharing one database share the site's key (each has its own data folder)
        "--keys", Path.Combine(Path.GetDirectoryName(cli.DataDirectory)!, "keys"));
}
