using Vcm.Domain.Clusters;

namespace Vcm.Manager.Peers;

/// <summary>
/// A part as the peer building it sees it: its id and phase there, its gateway host's WAN address and the port of
/// its VPN end (for the home's server end), and each node's host and state. <see cref="ClientAddresses"/>: every WAN
/// address of that gateway host in path order, when it has several WAN paths (null from a peer that predates them).
/// </summary>
public sealed record PartStatus(
    string Id,
    ClusterPhase Phase,
    string? Reason,
    string ClientAddress,
    int ClientPort,
    IReadOnlyList<PartNodeStatus> Nodes,
    IReadOnlyList<string>? ClientAddresses = null);
