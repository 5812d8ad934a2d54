namespace Vcm.Bench;

/// <summary>The rounds of one throughput measurement: a path over one lab's WAN, in one direction.</summary>
internal sealed record ThroughputSeries(string Wan, string Path, string Direction)
{
    public List<double> Mbit { get; } = [];

    /// <summary>The busier openvpn's CPU in % of one core (VPN paths only).</summary>
    public List<double> OpenVpnCpu { get; } = [];

    /// <summary>The share of the sending gateway host's outer datagrams that were fragmented (VPN paths only).</summary>
    public List<double> Fragmented { get; } = [];

    public bool IsRaw => OpenVpnCpu.Count == 0;
}
