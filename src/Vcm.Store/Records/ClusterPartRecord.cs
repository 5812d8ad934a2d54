using Vcm.Domain.Clusters;
using Vcm.Domain.Federation;

namespace Vcm.Store.Records;

/// <summary>At the home site: a part of one of its clusters that another site builds.</summary>
public sealed class ClusterPartRecord
{
    public required string Id { get; set; }

    public required string ClusterId { get; set; }

    /// <summary>The peer site building it.</summary>
    public required string Site { get; set; }

    /// <summary>The part's id at the peer (its cluster row there).</summary>
    public string? RemoteId { get; set; }

    public required PartState State { get; set; }

    /// <summary>The part's phase at the peer, and why, as last reported.</summary>
    public ClusterPhase? Phase { get; set; }

    public string? Reason { get; set; }

    /// <summary>The keys of the VPN between the home gateway and the peer's (JSON), made by the home.</summary>
    public required string Vpn { get; set; }

    /// <summary>The UDP port of the VPN's server end on the home's gateway host while the part is live (unique; null once released).</summary>
    public int? VpnPort { get; set; }

    /// <summary>The UDP port of the VPN's client end on the peer's gateway host, as the peer reports.</summary>
    public int? PeerVpnPort { get; set; }

    /// <summary>The peer gateway host's WAN address, as the peer reports.</summary>
    public string? GatewayWan { get; set; }

    /// <summary>Every WAN address of the peer's gateway host, comma-separated in path order, when it has several.</summary>
    public string? GatewayWans { get; set; }

    public long UpdatedMs { get; set; }

    public long Version { get; set; }
}
