using System.Globalization;
using System.Text.Json;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Domain.Naming;
using Vcm.Domain.Networking;
using Vcm.Drivers.Processes;
using Vcm.Testing;

namespace Vcm.Bench;

/// <summary>
/// VPN path failover on `vcm up --lab 2x2 --wan-paths 2 --wan 100M`: a cluster across both sites, a
/// <see cref="SegmentProbe"/> on its segment at a1 and at b1 (so the frames cross exactly the cluster's tunnel), a
/// ping from one to the other every 10 ms; the active WAN path's link is set down at a1 mid-stream. Measured: the
/// longest run of unanswered pings (the outage, at 10 ms each) and the replies lost. Between rounds the link comes
/// back and the ends return to path 1 (after the selector's hold-down) before the next cut.
/// </summary>
public sealed class FailoverBench(int rounds)
{
    public const string Rate = "100M";
    private const string Name = "fo";
    private const string PathOneLink = "wan0";
    private static readonly TimeSpan Stream = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CutAfter = TimeSpan.FromSeconds(3);

    public async Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken)
    {
        await using var lab = await TwoSiteLab.StartAsync(Rate, wanPaths: 2);
        Console.Error.WriteLine("bench: lab 2x2 up, two WAN paths, each shaped to 100 Mbit/s");
        await lab.SiteA.CreateClusterAsync(new ClusterSpecInput { Name = Name, Workers = 1, Sites = ["a:1", "b:1"], Subnet = "10.203.0.0/24" }, cancellationToken);
        var results = new List<PingStream>();
        try
        {
            var home = await BenchClusters.WaitReadyAsync(lab, Name, cancellationToken);
            var part = await lab.SiteB.GetClusterAsync(Name + "@a", nodes: false, cancellationToken);
            var subnet = Ipv4Subnet.Parse(home.Subnet);
            await using var a = await SegmentProbe.CreateAsync("afo", "vcl-a1", HostObjectNames.Bridge(home.Vni!.Value), Ipv4Subnet.Format(subnet.Network + 250), subnet.PrefixLength, cancellationToken);
            await using var b = await SegmentProbe.CreateAsync("bfo", "vcl-b1", HostObjectNames.Bridge(part.Vni!.Value), Ipv4Subnet.Format(subnet.Network + 251), subnet.PrefixLength, cancellationToken);
            for (var round = 0; round < rounds; round++)
            {
                await PathOneBridgedAsync(lab, cancellationToken);
                if (!await a.ReachesAsync(b.Address, TimeSpan.FromSeconds(30), cancellationToken))
                {
                    throw new InvalidOperationException($"the probes on cluster {Name}'s segment do not reach each other");
                }

                var ping = ProcessRunner.Instance.RunAsync(
                    new ProcessSpec("ip", ["netns", "exec", a.Netns, "busybox", "ping", "-i", "0.01", "-w", Seconds(Stream), b.Address]) { Timeout = Stream * 2 },
                    cancellationToken);
                await Task.Delay(CutAfter, cancellationToken);
                await Ip(cancellationToken, "-n", "vcl-a1", "link", "set", PathOneLink, "down");
                try
                {
                    var stream = PingStream.Parse((await ping).StandardOutput);
                    Console.Error.WriteLine($"bench: round {round + 1}: longest gap {stream.LongestGap * 10} ms, {stream.Lost} of {stream.Sent} lost");
                    results.Add(stream);
                }
                finally
                {
                    await Ip(CancellationToken.None, "-n", "vcl-a1", "link", "set", PathOneLink, "up");
                }
            }
        }
        finally
        {
            await BenchClusters.ReleaseAsync(lab, Name, CancellationToken.None);
        }

        return Table(results);
    }

    private IReadOnlyList<string> Table(List<PingStream> results)
    {
        var gaps = results.Select(r => r.LongestGap * 10.0).ToList();
        return
        [
            $"**VPN path failover**, the active WAN path's link set down at a1 during a ping every 10 ms between probes on a cluster's segment at the two sites (WAN paths at {Rate}bit/s each), {rounds} rounds; goal ≤ 3 s",
            "",
            "| round | longest gap (ms) | replies lost | pings sent | answered after the gap |",
            "|---|---|---|---|---|",
            .. results.Select((r, i) => $"| {i + 1} | {r.LongestGap * 10} | {r.Lost} | {r.Sent} | {r.ResumedAfter} |"),
            $"| **median** | **{gaps.Order().ElementAt(gaps.Count / 2).ToString("0", CultureInfo.InvariantCulture)}** | | | |",
        ];
    }

    /// <summary>Waits until path 1's tap is the one on the bridge at both a1 and b1 (after a cut, the hold-down and the tunnel's reconnection).</summary>
    private static async Task PathOneBridgedAsync(TwoSiteLab lab, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await BridgedAsync(lab, "a1", cancellationToken) && await BridgedAsync(lab, "b1", cancellationToken))
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException("path 1 was not bridged again at both ends within 30 s");
    }

    /// <summary>Whether a gateway host's path-1 tap (named in its openvpn.conf) is on a bridge and no other VPN tap is.</summary>
    private static async Task<bool> BridgedAsync(TwoSiteLab lab, string host, CancellationToken cancellationToken)
    {
        var config = Directory.GetFiles(Path.Combine(lab.HostData(host), "vpns"), "openvpn.conf", SearchOption.AllDirectories).Single();
        var tap = File.ReadAllLines(config).Single(l => l.StartsWith("dev ", StringComparison.Ordinal))[4..];
        using var links = JsonDocument.Parse(await Ip(cancellationToken, "-n", "vcl-" + host, "-j", "-d", "link", "show"));
        var bridged = links.RootElement.EnumerateArray()
            .Where(l => l.TryGetProperty("ifalias", out var alias) && alias.GetString()!.StartsWith("vcm-vpn:", StringComparison.Ordinal) && l.TryGetProperty("master", out _))
            .Select(l => l.GetProperty("ifname").GetString()).ToList();
        return bridged.SequenceEqual([tap]);
    }

    private static async Task<string> Ip(CancellationToken cancellationToken, params string[] args)
    {
        var result = await ProcessRunner.Instance.RunAsync(new ProcessSpec("ip", args), cancellationToken);
        result.EnsureSuccess();
        return result.StandardOutput;
    }

    private static string Seconds(TimeSpan span) => ((int)span.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
