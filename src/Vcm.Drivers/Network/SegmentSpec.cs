namespace Vcm.Drivers.Network;

/// <summary>
/// A cluster's L2 segment on one host: a bridge joined to the same segment on <see cref="Peers"/> (the other
/// hosts' underlay addresses) by a unicast VXLAN device.
/// </summary>
public sealed record SegmentSpec
{
    /// <summary>The bridge's name; the segment's identity on the host.</summary>
    public required string Bridge { get; init; }

    public required string Vxlan { get; init; }

    public required int Vni { get; init; }

    public int Mtu { get; init; } = 1500;

    public int Port { get; init; } = 4789;

    public IReadOnlyList<string> Peers { get; init; } = [];
}
