using System.Globalization;

namespace Vcm.Cli.Lab;

/// <summary>
/// A WAN link between two sites' gateway hosts: a veth pair with a /30, <see cref="InterfaceA"/> in
/// <see cref="NetnsA"/> and <see cref="InterfaceB"/> in <see cref="NetnsB"/>. Its MTU is <see cref="Mtu"/>, like a
/// real WAN: a VPN's outer packets larger than that are fragmented at the IP level, which is what real WANs do too.
/// </summary>
public sealed record LabWanLink(string NetnsA, string InterfaceA, string AddressA, string NetnsB, string InterfaceB, string AddressB)
{
    /// <summary>Which of the WAN paths between the two sites this link is (1 for the first).</summary>
    public int Path { get; init; } = 1;

    public const int Mtu = 1500;

    public const int Prefix = 30;

    /// <summary>How long a packet may wait in the shaper's queue.</summary>
    public const string Latency = "50ms";

    /// <summary>
    /// The token bucket's depth for a rate: 4 ms of traffic (one tick of a 250 Hz kernel, so the bucket refills
    /// faster than it drains), at least 32 KiB so a few full frames always fit.
    /// </summary>
    public static long BurstBytes(int rateMbit) => Math.Max(32 * 1024, rateMbit * 1_000_000L / 8 / 250);

    /// <summary>The arguments of `tc` that shape one end of the link to a rate.</summary>
    public static IReadOnlyList<string> TbfArguments(string device, int rateMbit) =>
    [
        "qdisc", "replace", "dev", device, "root", "tbf",
        "rate", $"{rateMbit.ToString(CultureInfo.InvariantCulture)}mbit",
        "burst", BurstBytes(rateMbit).ToString(CultureInfo.InvariantCulture),
        "latency", Latency,
    ];
}
