using Microsoft.Extensions.Logging;
using Vcm.Api;
using Vcm.Drivers.Processes;
using Vcm.Manager.Configuration;
using Vcm.Manager.Hosting;
using Vcm.Store;
using Vcm.Testing;

namespace Vcm.Bench;

/// <summary>
/// A manager (in this process, real HTTP, logging off) on SQLite or a fresh PostgreSQL database, and one
/// `vcm agent --sim N` process of hosts with 64 cpus and 512G each and zero driver latency, all joined.
/// </summary>
internal sealed class SimSite : IAsyncDisposable
{
    private readonly TempDirectory _data;
    private readonly string? _database;
    private readonly ManagerApp _manager;
    private readonly IRunningProcess _agent;

    private SimSite(TempDirectory data, string? database, ManagerApp manager, IRunningProcess agent, string listen)
    {
        (_data, _database, _manager, _agent, Listen) = (data, database, manager, agent, listen);
        Provider = VcmClient.Create(listen, manager.AdminToken, TimeSpan.FromMinutes(10));
    }

    /// <summary>The manager's base address.</summary>
    public string Listen { get; }

    /// <summary>The manager in this process (its database, its site), for benches that seed the database directly.</summary>
    public ManagerApp Manager => _manager;

    /// <summary>A client with the admin token of `vcm up` (the first provider's).</summary>
    public VcmClient Provider { get; }

    public static async Task<SimSite> StartAsync(StoreProvider provider, int hosts)
    {
        var data = new TempDirectory("vcm-bench");
        string? database = null;
        StoreOptions? store = null;
        if (provider == StoreProvider.Postgres)
        {
            var (name, connection) = await PostgresServer.CreateDatabaseAsync();
            database = name;
            store = StoreOptions.Postgres(connection);
        }

        var options = new ManagerOptions
        {
            DataDirectory = data.Combine("manager"),
            Listen = $"http://127.0.0.1:{FreePort.Next()}",
            Store = store,
        };
        var manager = await ManagerServer.BuildAsync(options, CancellationToken.None, configure: builder => builder.Logging.ClearProviders());
        await manager.App.StartAsync();
        var token = await manager.CreateJoinTokenAsync(CancellationToken.None);
        var agent = ProcessRunner.Instance.Start(new ProcessSpec(RepoPaths.Cli,
        [
            "agent", "--sim", hosts.ToString(System.Globalization.CultureInfo.InvariantCulture), "--sim-cpus", "64", "--sim-memory", "512G",
            "--data", data.Combine("agent"), "--join", options.Listen,
        ])
        {
            Environment = new Dictionary<string, string?> { ["VCM_JOIN_TOKEN"] = token },
        });
        var site = new SimSite(data, database, manager, agent, options.Listen);
        try
        {
            await site.WaitForHostsAsync(hosts);
        }
        catch
        {
            await site.DisposeAsync();
            throw;
        }

        return site;
    }

    /// <summary>A client of the manager with another token (a user's).</summary>
    public VcmClient ClientWith(string token) => VcmClient.Create(Listen, token, TimeSpan.FromMinutes(10));

    public async ValueTask DisposeAsync()
    {
        Provider.Dispose();
        try
        {
            await _agent.StopAsync(TimeSpan.FromSeconds(10));
            await _manager.App.StopAsync();
        }
        finally
        {
            _agent.Dispose();
            await _manager.DisposeAsync();
            if (_database is not null)
            {
                await PostgresServer.DropDatabaseAsync(_database);
            }

            _data.Dispose();
        }
    }

    private async Task WaitForHostsAsync(int hosts)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while ((await Provider.ListHostsAsync(CancellationToken.None)).Count < hosts)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the simulated hosts never all joined");
            }

            await Task.Delay(100);
        }
    }
}
