using Vcm.Domain.Clusters;

namespace Vcm.Manager.Peers;

/// <summary>
/// The home site asks a peer to admit and build part of one of its clusters: these nodes (names, MACs, addresses and
/// metadata tokens assigned by the home), shaped by the home's spec (sizes, image, window, subnet), joined to the
/// home's segment by a VPN whose client end the peer runs on its gateway host.
/// </summary>
public sealed record PartRequest
{
    /// <summary>The cluster's id at its home.</summary>
    public required string ClusterId { get; init; }

    /// <summary>The cluster's spec as its home keeps it.</summary>
    public required ClusterSpec Spec { get; init; }

    public required IReadOnlyList<PartNode> Nodes { get; init; }

    public required PartVpn Vpn { get; init; }
}
