using System.Diagnostics;
using System.Globalization;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Domain.Naming;
using Vcm.Domain.Networking;
using Vcm.Drivers.Processes;
using Vcm.Testing;

namespace Vcm.Bench;

/// <summary>
/// Moving nodes on `vcm up --lab 1x3` (issue 13): the time to drain a host holding 4 nodes (a head and 3 workers
/// packed onto it, live-migrated away one at a time, the default --migrations-per-host 1) and, at the end, the time
/// to recover from a host's loss — every process in a lab host's namespace killed, as a power loss; measured until
/// its nodes answer a ping from a probe on the cluster's segment on another host, and until the cluster is Ready.
/// </summary>
public sealed class MovesBench(int rounds)
{
    public async Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken)
    {
        using var data = new TempDirectory("vcm-bench-moves");
        var (cli, up) = await BenchLab.StartAsync(data);
        await using var _ = up;
        using var client = VcmClient.Create(cli.Server, File.ReadAllText(Path.Combine(cli.DataDirectory, "admin.token")).Trim());
        var rows = new List<string>
        {
            "**Drain** of the host holding a cluster's 4 micro nodes (head + 3 workers packed), `vcm host drain HOST` until no node is left on it, one migration at a time",
            "",
            "| round | host | nodes moved | drain time | QEMU pause per node (ms) | QEMU total per node (ms) |",
            "|---|---|---|---|---|---|",
        };
        for (var round = 1; round <= rounds; round++)
        {
            var name = $"dr{round}";
            await client.CreateClusterAsync(new ClusterSpecInput { Name = name, Workers = 3, Policy = "pack", Duration = "3h", Subnet = "10.204.0.0/24" }, cancellationToken);
            var view = await ReadyAsync(client, name, cancellationToken);
            var host = view.Nodes!.GroupBy(n => n.Host).OrderByDescending(g => g.Count()).First().Key;
            var count = view.Nodes!.Count(n => n.Host == host);
            var watch = Stopwatch.StartNew();
            await client.DrainHostAsync(host, cancellationToken);
            while ((await client.GetClusterAsync(name, nodes: true, cancellationToken)).Nodes!.Any(n => n.Host == host))
            {
                if (watch.Elapsed > TimeSpan.FromMinutes(10))
                {
                    throw new TimeoutException($"host {host} still holds nodes of {name} after 10 minutes");
                }

                await Task.Delay(100, cancellationToken);
            }

            var drained = watch.Elapsed;
            var moves = (await client.MigrationsAsync(name, cancellationToken)).Where(m => m.State == "completed").ToList();
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {round} | {host} | {count} | {drained.TotalSeconds:0.0} s | {string.Join(", ", moves.Select(m => m.DowntimeMs))} | {string.Join(", ", moves.Select(m => m.TotalMs))} |"));
            Console.Error.WriteLine($"bench: {rows[^1]}");
            await client.UndrainHostAsync(host, cancellationToken);
            await ReleaseAsync(client, name, cancellationToken);
        }

        rows.AddRange(["", .. await RecoveryAsync(client, cancellationToken)]);
        return rows;
    }

    /// <summary>A head and 3 workers spread over the three hosts; a3 (not the gateway host) is killed.</summary>
    private static async Task<IReadOnlyList<string>> RecoveryAsync(VcmClient client, CancellationToken cancellationToken)
    {
        const string Name = "rc";
        const string Lost = "a3";
        await client.CreateClusterAsync(new ClusterSpecInput { Name = Name, Workers = 3, Policy = "spread", Duration = "3h", Subnet = "10.205.0.0/24" }, cancellationToken);
        var view = await ReadyAsync(client, Name, cancellationToken);
        var lost = view.Nodes!.Where(n => n.Host == Lost).ToList();
        var subnet = Ipv4Subnet.Parse(view.Subnet);
        await using var probe = await SegmentProbe.CreateAsync("mvp", "vcl-a1", HostObjectNames.Bridge(view.Vni!.Value), Ipv4Subnet.Format(subnet.Network + 250), subnet.PrefixLength, cancellationToken);
        foreach (var node in lost)
        {
            if (!await probe.ReachesAsync(node.Ip!, TimeSpan.FromSeconds(30), cancellationToken))
            {
                throw new InvalidOperationException($"the probe does not reach {node.Name} before the kill");
            }
        }

        var pids = (await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("ip", "netns", "pids", "vcl-" + Lost), cancellationToken)).StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var watch = Stopwatch.StartNew();
        (await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("kill", ["-KILL", .. pids]), cancellationToken)).EnsureSuccess();
        var answered = new List<string>();
        foreach (var node in lost)
        {
            if (!await probe.ReachesAsync(node.Ip!, TimeSpan.FromMinutes(5), cancellationToken))
            {
                throw new TimeoutException($"{node.Name} did not answer within 5 minutes of {Lost}'s loss");
            }

            answered.Add(string.Create(CultureInfo.InvariantCulture, $"{node.Name} {watch.Elapsed.TotalSeconds:0.0} s"));
        }

        await ReadyAsync(client, Name, cancellationToken);
        var ready = watch.Elapsed;
        var after = await client.GetClusterAsync(Name, nodes: true, cancellationToken);
        var where = string.Join(", ", lost.Select(n => $"{n.Name} → {after.Nodes!.Single(a => a.Name == n.Name).Host}"));
        await ReleaseAsync(client, Name, cancellationToken);
        return
        [
            $"**Recovery** after host {Lost} was lost (every process in its namespace killed; the lab's defaults: heartbeat 2 s, down after 10 s, the lab fence), a head and 3 micro workers spread",
            "",
            "| lost nodes | answering again (a probe's ping from a1, 1 s apart) | cluster Ready again | rebuilt on |",
            "|---|---|---|---|",
            string.Create(CultureInfo.InvariantCulture, $"| {lost.Count} | {string.Join(", ", answered)} | {ready.TotalSeconds:0.0} s | {where} |"),
        ];
    }

    private static async Task<ClusterView> ReadyAsync(VcmClient client, string name, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (DateTime.UtcNow < deadline)
        {
            var view = await client.GetClusterAsync(name, nodes: true, cancellationToken);
            if (view.Phase == "Ready")
            {
                return view;
            }

            if (view.Phase is "Failed" or "Released")
            {
                throw new InvalidOperationException($"cluster {name} is {view.Phase}: {view.Reason}");
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"cluster {name} was not Ready within 10 minutes");
    }

    private static async Task ReleaseAsync(VcmClient client, string name, CancellationToken cancellationToken)
    {
        await client.DeleteClusterAsync(name, cancellationToken);
        while ((await client.GetClusterAsync(name, nodes: false, cancellationToken)).Phase != "Released")
        {
            await Task.Delay(200, cancellationToken);
        }
    }
}
