using System.Globalization;

namespace Vcm.Bench;

/// <summary>
/// Two sites on `vcm up --lab 2x2`: TCP throughput through a cluster's VPN against the raw WAN link, with the WAN
/// shaped to 100 Mbit/s and unshaped (a lab each, one after the other), and the build time of head + 3 workers at
/// one site against the same cluster split over two (on the shaped lab).
/// </summary>
public sealed class FederationBench(int rounds)
{
    public const string ShapedRate = "100M";
    private const string ShapedLabel = "100 Mbit/s";

    public async Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken)
    {
        var throughput = new List<ThroughputSeries>();
        (List<double> One, List<double> Two) build;
        await using (var lab = await TwoSiteLab.StartAsync(ShapedRate))
        {
            Console.Error.WriteLine($"bench: lab 2x2 up, WAN shaped to {ShapedLabel}");
            throughput.AddRange(await new ThroughputRun(lab, ShapedLabel, rounds).RunAsync(cancellationToken));
            build = await new BuildTimeRun(lab, rounds).RunAsync(cancellationToken);
        }

        await using (var lab = await TwoSiteLab.StartAsync(null))
        {
            Console.Error.WriteLine("bench: lab 2x2 up, WAN unshaped");
            throughput.AddRange(await new ThroughputRun(lab, "unshaped", rounds).RunAsync(cancellationToken));
        }

        return [.. ThroughputTable(throughput), "", .. BuildTable(build.One, build.Two)];
    }

    private IEnumerable<string> ThroughputTable(List<ThroughputSeries> all)
    {
        yield return $"**TCP throughput**, one iperf3 stream of {IperfClient.Seconds} s, median of {rounds} (each round in brackets)";
        yield return "";
        yield return "| WAN | path | direction | Mbit/s | VPN / raw | openvpn CPU (busier end) | outer datagrams fragmented |";
        yield return "|---|---|---|---|---|---|---|";
        foreach (var s in all)
        {
            var raw = all.Single(r => r.IsRaw && r.Wan == s.Wan && r.Direction == s.Direction);
            var ratio = s.IsRaw ? "—" : $"**{Median(s.Mbit) / Median(raw.Mbit):0.00}**";
            var cpu = s.IsRaw ? "—" : $"{Median(s.OpenVpnCpu):0}%";
            var fragmented = s.IsRaw ? "—" : $"{Median(s.Fragmented) * 100:0}%";
            yield return $"| {s.Wan} | {s.Path} | {s.Direction} | **{Median(s.Mbit):0.0}** ({Each(s.Mbit, "0")}) | {ratio} | {cpu} | {fragmented} |";
        }
    }

    private IEnumerable<string> BuildTable(List<double> one, List<double> two)
    {
        yield return $"**Build time**, head + 3 workers (spread), created at site a, create → Ready, median of {rounds}, WAN at {ShapedLabel}";
        yield return "";
        yield return "| what | time |";
        yield return "|---|---|";
        yield return $"| one site (`--sites {string.Join(',', BuildTimeRun.OneSite)}`) | {Median(one):0.00} s ({Each(one, "0.00")}) |";
        yield return $"| two sites (`--sites {string.Join(',', BuildTimeRun.TwoSites)}`), site b's part over the VPN | {Median(two):0.00} s ({Each(two, "0.00")}) |";
        yield return $"| ratio two sites / one site | **{Median(two) / Median(one):0.00}** |";
    }

    private static string Each(List<double> values, string format) =>
        string.Join(", ", values.Select(v => v.ToString(format, CultureInfo.InvariantCulture)));

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
