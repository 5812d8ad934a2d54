using Vcm.Domain.Clusters;

namespace Vcm.Manager.Peers;

/// <summary>
/// A part as the peer building it sees it: its id and phase there, its gateway host's WAN address and the port of
/// its VPN end (for the home's server end), and each node's host and state.
/// </summary>
public sealed record PartStatus(
    string Id,
    ClusterPhase Phase,
    string? Reason,
    string ClientAddress,
    int ClientPort,
    IReadOnlyList<PartNodeStatus> Nodes);
