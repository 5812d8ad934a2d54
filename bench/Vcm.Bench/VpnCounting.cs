using System.Diagnostics;

namespace Vcm.Bench;

/// <summary>The counters of a <see cref="VpnEnds"/> taken at the start of a measurement, from <see cref="VpnEnds.StartAsync"/>.</summary>
internal sealed record VpnCounting(VpnEnds Ends, string SenderNetns, long TicksA, long TicksB, (long Sent, long Fragmented) Ip, Stopwatch Watch)
{
    /// <summary>The busier end's openvpn CPU in % of one core, and the share of the sender's outer datagrams that were fragmented.</summary>
    public async Task<(double CpuPercent, double FragmentedShare)> StopAsync(CancellationToken cancellationToken)
    {
        var seconds = Watch.Elapsed.TotalSeconds;
        var a = (VpnEnds.CpuTicks(Ends.PidA) - TicksA) / VpnEnds.TicksPerSecond / seconds * 100;
        var b = (VpnEnds.CpuTicks(Ends.PidB) - TicksB) / VpnEnds.TicksPerSecond / seconds * 100;
        var ip = await VpnEnds.IpCountersAsync(SenderNetns, cancellationToken);
        var sent = ip.Sent - Ip.Sent;
        return (Math.Max(a, b), sent == 0 ? 0 : (double)(ip.Fragmented - Ip.Fragmented) / sent);
    }
}
