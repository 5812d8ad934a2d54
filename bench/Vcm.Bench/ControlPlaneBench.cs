using System.Diagnostics;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Store;

namespace Vcm.Bench;

/// <summary>
/// The control plane at scale: a manager (in this process, real HTTP) and one `vcm agent --sim N` process with zero
/// latency; one huge cluster from create to Ready, then many concurrent clusters.
/// </summary>
public sealed class ControlPlaneBench(StoreProvider provider, int hosts, int bigNodes, int manyClusters, int manyNodes)
{
    public async Task<IReadOnlyList<string>> RunAsync()
    {
        await using var site = await SimSite.StartAsync(provider, hosts);
        var lines = new List<string>();
        lines.AddRange(await BigClusterAsync(site.Provider));
        lines.AddRange(await ManyClustersAsync(site.Provider));
        return lines;
    }

    private async Task<IReadOnlyList<string>> BigClusterAsync(VcmClient client)
    {
        var watch = Stopwatch.StartNew();
        var created = await client.CreateClusterAsync(
            new ClusterSpecInput { Name = "big", Workers = bigNodes - 1, Duration = "2h" }, CancellationToken.None);
        var admitted = watch.Elapsed;
        await ClusterPolls.WaitAsync(client, ["big"], "Ready");
        var ready = watch.Elapsed;
        var hostsUsed = (await client.GetClusterAsync("big", nodes: true, CancellationToken.None)).Nodes!.Select(n => n.Host).Distinct().Count();

        watch.Restart();
        await client.DeleteClusterAsync("big", CancellationToken.None);
        await ClusterPolls.WaitAsync(client, [created.Id], "Released");
        var released = watch.Elapsed;
        return
        [
            $"| one {bigNodes:N0}-node cluster ({hostsUsed} hosts): create → admitted | {ClusterPolls.Ms(admitted)} |",
            $"| one {bigNodes:N0}-node cluster: create → Ready | **{ClusterPolls.Ms(ready)}** ({bigNodes / ready.TotalSeconds:N0} nodes/s) |",
            $"| one {bigNodes:N0}-node cluster: delete → Released | {ClusterPolls.Ms(released)} |",
        ];
    }

    private async Task<IReadOnlyList<string>> ManyClustersAsync(VcmClient client)
    {
        var names = Enumerable.Range(0, manyClusters).Select(i => $"many-{i:000}").ToList();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(names.Select(name => client.CreateClusterAsync(
            new ClusterSpecInput { Name = name, Workers = manyNodes - 1, Duration = "2h", Policy = "spread" }, CancellationToken.None)));
        var admitted = watch.Elapsed;
        await ClusterPolls.WaitAsync(client, names, "Ready");
        var ready = watch.Elapsed;
        var nodes = manyClusters * manyNodes;
        return
        [
            $"| {manyClusters} concurrent {manyNodes}-node clusters (spread): all admitted | {ClusterPolls.Ms(admitted)} ({nodes / admitted.TotalSeconds:N0} placements/s) |",
            $"| {manyClusters} concurrent {manyNodes}-node clusters: all Ready | **{ClusterPolls.Ms(ready)}** ({nodes / ready.TotalSeconds:N0} nodes placed and provisioned/s) |",
        ];
    }
}
