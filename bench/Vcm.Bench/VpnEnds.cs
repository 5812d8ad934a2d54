using System.Diagnostics;
using System.Globalization;
using Vcm.Domain.Naming;
using Vcm.Drivers.Processes;

namespace Vcm.Bench;

/// <summary>
/// The two openvpn processes of one cluster's VPN (site a's end in vcl-a1, site b's in vcl-b1), found by the PID
/// files the agents keep, and what they cost: CPU time of each, and how many outer datagrams their gateway host
/// fragmented (the WAN's MTU is 1500, a full tunnelled frame is larger).
/// </summary>
internal sealed record VpnEnds(int PidA, int PidB)
{
    /// <summary>Clock ticks per second of /proc/PID/stat (USER_HZ, 100 on Linux).</summary>
    public const double TicksPerSecond = 100;

    /// <summary>The ends of the cluster with id <paramref name="homeId"/> at site a, whose part at site b has id <paramref name="partId"/>.</summary>
    public static VpnEnds Find(TwoSiteLab lab, string homeId, string partId) =>
        new(Pid(lab.HostData("a1"), HostObjectNames.Vpn(homeId, "b")), Pid(lab.HostData("b1"), HostObjectNames.Vpn(partId, "a")));

    /// <summary>Starts counting; <see cref="VpnCounting.StopAsync"/> gives what was spent meanwhile.</summary>
    public async Task<VpnCounting> StartAsync(string senderNetns, CancellationToken cancellationToken) =>
        new VpnCounting(this, senderNetns, CpuTicks(PidA), CpuTicks(PidB), await IpCountersAsync(senderNetns, cancellationToken), Stopwatch.StartNew());

    private static int Pid(string hostData, string vpn)
    {
        var file = Path.Combine(hostData, "vpns", vpn, "openvpn.pid");
        return int.Parse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>utime + stime of a process, from /proc/PID/stat.</summary>
    public static long CpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>The namespace's IP counters OutRequests and FragOKs (datagrams sent, datagrams fragmented).</summary>
    public static async Task<(long Sent, long Fragmented)> IpCountersAsync(string netns, CancellationToken cancellationToken)
    {
        var snmp = (await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("ip", "netns", "exec", netns, "cat", "/proc/net/snmp"), cancellationToken)).EnsureSuccess();
        var ip = snmp.StandardOutput.Split('\n').Where(l => l.StartsWith("Ip: ", StringComparison.Ordinal)).Select(l => l.Split(' ')).ToList();
        long Value(string name) => long.Parse(ip[1][Array.IndexOf(ip[0], name)], CultureInfo.InvariantCulture);
        return (Value("OutRequests"), Value("FragOKs"));
    }
}
