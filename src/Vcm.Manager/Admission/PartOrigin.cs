using Vcm.Manager.Peers;

namespace Vcm.Manager.Admission;

/// <summary>For a part this site builds for another site's cluster: whose cluster, its nodes as the home assigned them, and the VPN's client end.</summary>
public sealed record PartOrigin(string HomeSite, string HomeClusterId, IReadOnlyList<PartNode> Nodes, PartVpn Vpn);
