namespace Vcm.Manager.Federation;

/// <summary>
/// The home site asks a peer to admit and build part of one of its clusters: these nodes (names, MACs, addresses and
/// metadata tokens assigned by the home), sized by the home's spec, for the cluster's window, joined to the home's
/// segment by a VPN whose client end the peer runs on its gateway host.
/// </summary>
public sealed record PartRequest
{
    /// <summary>The cluster's id and name at its home.</summary>
    public required string ClusterId { get; init; }

    public required string Name { get; init; }

    /// <summary>The cluster's spec as the home stores it (its sizes, image and VPN rate are used).</summary>
    public required string Spec { get; init; }

    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    public required string Subnet { get; init; }

    public required IReadOnlyList<PartNode> Nodes { get; init; }

    public required PartVpn Vpn { get; init; }
}
