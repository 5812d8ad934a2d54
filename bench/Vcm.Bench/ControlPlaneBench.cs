using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Drivers.Processes;
using Vcm.Manager.Configuration;
using Vcm.Manager.Hosting;
using Vcm.Store;
using Vcm.Testing;

namespace Vcm.Bench;

/// <summary>
/// The control plane at scale: a manager (in this process, real HTTP) and one `vcm agent --sim N` process with zero
/// latency; one huge cluster from create to Ready, then many concurrent clusters.
/// </summary>
public sealed class ControlPlaneBench(StoreProvider provider, int hosts, int bigNodes, int manyClusters, int manyNodes)
{
    public async Task<IReadOnlyList<string>> RunAsync()
    {
        using var data = new TempDirectory("vcm-bench");
        string? database = null;
        StoreOptions? store = null;
        if (provider == StoreProvider.Postgres)
        {
            var (name, connection) = await PostgresServer.CreateDatabaseAsync();
            database = name;
            store = StoreOptions.Postgres(connection);
        }

        var port = FreePort.Next();
        var options = new ManagerOptions
        {
            DataDirectory = data.Combine("manager"),
            Listen = $"http://127.0.0.1:{port}",
            Store = store,
        };
        await using var manager = await ManagerServer.BuildAsync(
            options, CancellationToken.None, configure: builder => builder.Logging.ClearProviders());
        await manager.App.StartAsync();
        var token = await manager.CreateJoinTokenAsync(CancellationToken.None);
        using var agent = ProcessRunner.Instance.Start(new ProcessSpec(RepoPaths.Cli,
        [
            "agent", "--sim", hosts.ToString(System.Globalization.CultureInfo.InvariantCulture), "--sim-cpus", "64", "--sim-memory", "512G",
            "--data", data.Combine("agent"), "--join", options.Listen,
        ])
        {
            Environment = new Dictionary<string, string?> { ["VCM_JOIN_TOKEN"] = token },
        });
        using var client = VcmClient.Create(options.Listen, manager.AdminToken, TimeSpan.FromMinutes(10));
        var lines = new List<string>();
        try
        {
            await WaitForHostsAsync(client);
            lines.AddRange(await BigClusterAsync(client));
            lines.AddRange(await ManyClustersAsync(client));
        }
        finally
        {
            await agent.StopAsync(TimeSpan.FromSeconds(10));
            await manager.App.StopAsync();
            if (database is not null)
            {
                await PostgresServer.DropDatabaseAsync(database);
            }
        }

        return lines;
    }

    private async Task<IReadOnlyList<string>> BigClusterAsync(VcmClient client)
    {
        var watch = Stopwatch.StartNew();
        var created = await client.CreateClusterAsync(
            new ClusterSpecInput { Name = "big", Workers = bigNodes - 1, Duration = "2h" }, CancellationToken.None);
        var admitted = watch.Elapsed;
        await WaitAsync(client, ["big"], "Ready");
        var ready = watch.Elapsed;
        var hostsUsed = (await client.GetClusterAsync("big", nodes: true, CancellationToken.None)).Nodes!.Select(n => n.Host).Distinct().Count();

        watch.Restart();
        await client.DeleteClusterAsync("big", CancellationToken.None);
        await WaitAsync(client, [created.Id], "Released");
        var released = watch.Elapsed;
        return
        [
            $"| one {bigNodes:N0}-node cluster ({hostsUsed} hosts): create → admitted | {Ms(admitted)} |",
            $"| one {bigNodes:N0}-node cluster: create → Ready | **{Ms(ready)}** ({bigNodes / ready.TotalSeconds:N0} nodes/s) |",
            $"| one {bigNodes:N0}-node cluster: delete → Released | {Ms(released)} |",
        ];
    }

    private async Task<IReadOnlyList<string>> ManyClustersAsync(VcmClient client)
    {
        var names = Enumerable.Range(0, manyClusters).Select(i => $"many-{i:000}").ToList();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(names.Select(name => client.CreateClusterAsync(
            new ClusterSpecInput { Name = name, Workers = manyNodes - 1, Duration = "2h", Policy = "spread" }, CancellationToken.None)));
        var admitted = watch.Elapsed;
        await WaitAsync(client, names, "Ready");
        var ready = watch.Elapsed;
        var nodes = manyClusters * manyNodes;
        return
        [
            $"| {manyClusters} concurrent {manyNodes}-node clusters (spread): all admitted | {Ms(admitted)} ({nodes / admitted.TotalSeconds:N0} placements/s) |",
            $"| {manyClusters} concurrent {manyNodes}-node clusters: all Ready | **{Ms(ready)}** ({nodes / ready.TotalSeconds:N0} nodes placed and provisioned/s) |",
        ];
    }

    private async Task WaitForHostsAsync(VcmClient client)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while ((await client.ListHostsAsync(CancellationToken.None)).Count < hosts)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the simulated hosts never all joined");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Polls the cluster list (one request per round, so polling does not load the manager) until all are in the phase.</summary>
    private static async Task WaitAsync(VcmClient client, IReadOnlyList<string> namesOrIds, string phase)
    {
        var left = new HashSet<string>(namesOrIds);
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            foreach (var view in await client.ListClustersAsync(all: true, CancellationToken.None))
            {
                if (view.Phase is "Failed" or "Rejected" && (left.Contains(view.Name) || left.Contains(view.Id)))
                {
                    throw new InvalidOperationException($"{view.Name} is {view.Phase}: {view.Reason}");
                }

                if (view.Phase == phase)
                {
                    left.Remove(view.Name);
                    left.Remove(view.Id);
                }
            }

            if (left.Count == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{left.Count} clusters never became {phase}");
            }

            await Task.Delay(50);
        }
    }

    private static string Ms(TimeSpan span) => span.TotalSeconds >= 10 ? $"{span.TotalSeconds:N1} s" : $"{span.TotalMilliseconds:N0} ms";
}
