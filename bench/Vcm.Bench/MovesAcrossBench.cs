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
/// Live migration across sites on `vcm up --lab 2x2 --wan RATE` (issue 13, item 2), at each WAN rate asked: a cluster
/// with its head and node-01 at site a and node-02 at site b; a <see cref="SegmentProbe"/> on its segment at a1 pings
/// node-01 every 10 ms while `vcm node migrate … node-01 --to b/b2` moves it over the cluster's VPN. Measured: the
/// pause QEMU reports, the migration's total time (QEMU's, and the request's wall time to completed), the bytes of
/// memory and disk sent, and the 10 ms pings lost (the longest run of them is the outage the probe saw).
/// </summary>
public sealed class MovesAcrossBench(int rounds, IReadOnlyList<string> rates)
{
    private static readonly TimeSpan Stream = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan MigrateAfter = TimeSpan.FromSeconds(2);

    public async Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken)
    {
        var rows = new List<string>
        {
            $"**Live migration across sites**: node-01 (micro) from a2 at site a to b2 at site b over the cluster's VPN, a probe at a1 pinging it every 10 ms; {rounds} rounds per WAN rate",
            "",
            "| WAN | round | QEMU pause (ms) | QEMU total (ms) | request to completed (s) | memory sent (MiB) | disk sent (MiB) | pings lost | longest gap (ms) |",
            "|---|---|---|---|---|---|---|---|---|",
        };
        foreach (var rate in rates)
        {
            await using var lab = await TwoSiteLab.StartAsync(rate);
            Console.Error.WriteLine($"bench: lab 2x2 up, WAN shaped to {rate}bit/s");
            for (var round = 1; round <= rounds; round++)
            {
                rows.Add(await RoundAsync(lab, rate, round, cancellationToken));
                Console.Error.WriteLine($"bench: {rows[^1]}");
            }
        }

        return rows;
    }

    private static async Task<string> RoundAsync(TwoSiteLab lab, string rate, int round, CancellationToken cancellationToken)
    {
        var name = $"xa{round}";
        await lab.SiteA.CreateClusterAsync(
            new ClusterSpecInput { Name = name, Workers = 2, Sites = ["a:2", "b:1"], Subnet = $"10.206.{round}.0/24", Duration = "3h" }, cancellationToken);
        try
        {
            var home = await BenchClusters.WaitReadyAsync(lab, name, cancellationToken);
            var node = home.Nodes!.Single(n => n.Name == "node-01");
            var subnet = Ipv4Subnet.Parse(home.Subnet);
            await using var probe = await SegmentProbe.CreateAsync("xap", "vcl-a1", HostObjectNames.Bridge(home.Vni!.Value), Ipv4Subnet.Format(subnet.Network + 250), subnet.PrefixLength, cancellationToken);
            if (!await probe.ReachesAsync(node.Ip!, TimeSpan.FromSeconds(30), cancellationToken))
            {
                throw new InvalidOperationException($"the probe does not reach node-01 of {name}");
            }

            var ping = ProcessRunner.Instance.RunAsync(
                new ProcessSpec("ip", ["netns", "exec", probe.Netns, "busybox", "ping", "-i", "0.01", "-w", ((int)Stream.TotalSeconds).ToString(CultureInfo.InvariantCulture), node.Ip!]) { Timeout = Stream * 2 },
                cancellationToken);
            await Task.Delay(MigrateAfter, cancellationToken);
            var watch = Stopwatch.StartNew();
            var admitted = await lab.SiteA.MigrateNodeAsync(name, "node-01", new MigrateRequest("b/b2"), cancellationToken);
            MigrationView done;
            while ((done = await lab.SiteA.MigrationAsync(name, admitted.Id, cancellationToken)).State is not ("completed" or "failed"))
            {
                if (watch.Elapsed > Stream - MigrateAfter)
                {
                    throw new TimeoutException($"the migration of node-01 is still {done.State} after {watch.Elapsed.TotalSeconds:0} s");
                }

                await Task.Delay(100, cancellationToken);
            }

            var wall = watch.Elapsed;
            if (done.State != "completed")
            {
                throw new InvalidOperationException($"the migration failed: {done.Error}");
            }

            var stream = PingStream.Parse((await ping).StandardOutput);
            return string.Create(CultureInfo.InvariantCulture,
                $"| {rate}bit/s | {round} | {done.DowntimeMs} | {done.TotalMs} | {wall.TotalSeconds:0.0} | {done.MemoryBytes / 1048576.0:0.0} | {done.DiskBytes / 1048576.0:0.0} | {stream.Sent - stream.Received} of {stream.Sent} | {stream.LongestGap * 10} |");
        }
        finally
        {
            await BenchClusters.ReleaseAsync(lab, name, CancellationToken.None);
        }
    }
}
