using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Domain.Naming;
using Vcm.Domain.Networking;
using Vcm.Testing;

namespace Vcm.Bench;

/// <summary>
/// TCP throughput on one <see cref="TwoSiteLab"/>: the raw WAN link (iperf3 between 172.16.0.1 in vcl-a1 and
/// 172.16.0.2 in vcl-b1) against the VPN of two clusters spanning both sites, one with <c>--wan-rate 100M</c> and one
/// without a rate limit, each measured between two <see cref="SegmentProbe"/>s on its segment (in vcl-a1 and
/// vcl-b1, so the frames cross exactly the cluster's OpenVPN tunnel). Both directions; then the same VPNs with the
/// probes at a smaller MTU, so that the tunnel's outer datagrams fit the WAN's 1500 bytes unfragmented.
/// Measurements are interleaved within each round.
/// </summary>
internal sealed class ThroughputRun(TwoSiteLab lab, string wan, int rounds)
{
    public const int SmallMtu = 1400;
    private const string Limited = "tlim";
    private const string Unlimited = "tfree";
    private const int Port = 5201;

    public async Task<IReadOnlyList<ThroughputSeries>> RunAsync(CancellationToken cancellationToken)
    {
        var created = new List<string>();
        var owned = new Stack<IAsyncDisposable>();
        using var folder = new TempDirectory("vcm-bench-iperf");
        try
        {
            // tlim spans all four hosts, which also takes the image and the KVM probe to each host before any timing
            await CreateAsync(created, new ClusterSpecInput { Name = Limited, Workers = 3, Sites = ["a:2", "b:2"], Policy = "spread", Subnet = "10.201.0.0/24", WanRate = "100M" }, cancellationToken);
            await CreateAsync(created, new ClusterSpecInput { Name = Unlimited, Workers = 1, Sites = ["a:1", "b:1"], Subnet = "10.202.0.0/24" }, cancellationToken);
            var limited = await PathAsync(Limited, "lim", owned, folder.Path, cancellationToken);
            var unlimited = await PathAsync(Unlimited, "free", owned, folder.Path, cancellationToken);
            var raw = await IperfServer.StartAsync("vcl-b1", TwoSiteLab.WanAddressB, Port, folder.Path, cancellationToken);
            owned.Push(raw);
            return await MeasureAsync(raw, limited, unlimited, cancellationToken);
        }
        finally
        {
            while (owned.TryPop(out var item))
            {
                await item.DisposeAsync();
            }

            foreach (var name in created)
            {
                try
                {
                    await BenchClusters.ReleaseAsync(lab, name, CancellationToken.None);
                }
                catch (Exception e) when (e is VcmApiException or TimeoutException or HttpRequestException)
                {
                    // the lab's shutdown releases it too
                    Console.Error.WriteLine($"bench: releasing {name} failed: {e.Message}");
                }
            }
        }
    }

    private async Task CreateAsync(List<string> created, ClusterSpecInput request, CancellationToken cancellationToken)
    {
        await lab.SiteA.CreateClusterAsync(request, cancellationToken);
        created.Add(request.Name!);
    }

    private async Task<IReadOnlyList<ThroughputSeries>> MeasureAsync(IperfServer raw, VpnPath limited, VpnPath unlimited, CancellationToken cancellationToken)
    {
        var series = new Dictionary<string, ThroughputSeries>();
        ThroughputSeries Series(string path, bool reverse)
        {
            var key = path + reverse;
            return series.TryGetValue(key, out var s) ? s : series[key] = new ThroughputSeries(wan, path, reverse ? "b → a" : "a → b");
        }

        for (var round = 0; round < rounds; round++)
        {
            foreach (var reverse in new[] { false, true })
            {
                var s = Series("raw WAN link", reverse);
                s.Mbit.Add(await IperfClient.MbitAsync("vcl-a1", raw, reverse, cancellationToken));
            }

            foreach (var (path, label) in new[] { (limited, "VPN of a cluster with --wan-rate 100M"), (unlimited, "VPN of a cluster without rate limit") })
            {
                foreach (var reverse in new[] { false, true })
                {
                    await SampleAsync(Series(label, reverse), path, reverse, cancellationToken);
                }
            }

            await SetMtuAsync([limited, unlimited], SmallMtu, cancellationToken);
            await SampleAsync(Series($"VPN without rate limit, probes at MTU {SmallMtu}", false), unlimited, false, cancellationToken);
            await SampleAsync(Series($"VPN with --wan-rate 100M, probes at MTU {SmallMtu}", false), limited, false, cancellationToken);
            await SetMtuAsync([limited, unlimited], SegmentProbe.FullMtu, cancellationToken);
            Console.Error.WriteLine($"bench: WAN {wan}, round {round + 1}: " + string.Join(", ", series.Values.Select(s => $"{s.Path} {s.Direction} {s.Mbit[^1]:0}")));
        }

        return series.Values.ToList();
    }

    private static async Task SampleAsync(ThroughputSeries series, VpnPath path, bool reverse, CancellationToken cancellationToken)
    {
        var counting = await path.Ends.StartAsync(reverse ? "vcl-b1" : "vcl-a1", cancellationToken);
        series.Mbit.Add(await IperfClient.MbitAsync(path.A.Netns, path.Server, reverse, cancellationToken));
        var (cpu, fragmented) = await counting.StopAsync(cancellationToken);
        series.OpenVpnCpu.Add(cpu);
        series.Fragmented.Add(fragmented);
    }

    private static async Task SetMtuAsync(VpnPath[] paths, int mtu, CancellationToken cancellationToken)
    {
        foreach (var path in paths)
        {
            await path.A.SetMtuAsync(mtu, cancellationToken);
            await path.B.SetMtuAsync(mtu, cancellationToken);
        }
    }

    /// <summary>Waits for the cluster, puts a probe on its bridge at each site's gateway host and an iperf3 server on site b's probe.</summary>
    private async Task<VpnPath> PathAsync(string name, string tag, Stack<IAsyncDisposable> owned, string folder, CancellationToken cancellationToken)
    {
        var home = await BenchClusters.WaitReadyAsync(lab, name, cancellationToken);
        var part = await lab.SiteB.GetClusterAsync(name + "@a", nodes: false, cancellationToken);
        var subnet = Ipv4Subnet.Parse(home.Subnet);
        var a = await SegmentProbe.CreateAsync("a" + tag, "vcl-a1", HostObjectNames.Bridge(Vni(home)), Ipv4Subnet.Format(subnet.Network + 250), subnet.PrefixLength, cancellationToken);
        owned.Push(a);
        var b = await SegmentProbe.CreateAsync("b" + tag, "vcl-b1", HostObjectNames.Bridge(Vni(part)), Ipv4Subnet.Format(subnet.Network + 251), subnet.PrefixLength, cancellationToken);
        owned.Push(b);
        if (!await a.ReachesAsync(b.Address, TimeSpan.FromSeconds(30), cancellationToken))
        {
            throw new InvalidOperationException($"the probe on cluster {name}'s segment at site a does not reach the one at site b ({b.Address})");
        }

        var server = await IperfServer.StartAsync(b.Netns, b.Address, Port, folder, cancellationToken);
        owned.Push(server);
        return new VpnPath(a, b, server, VpnEnds.Find(lab, home.Id, part.Id));
    }

    private static int Vni(ClusterView view) => view.Vni ?? throw new InvalidOperationException($"cluster {view.Name} has no VNI");

    private sealed record VpnPath(SegmentProbe A, SegmentProbe B, IperfServer Server, VpnEnds Ends);
}
