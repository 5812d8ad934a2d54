namespace Vcm.Manager.Configuration;

/// <summary>
/// The site's external network, which cluster gateways NAT to and take SSH connections on: its subnet (CIDR; each
/// cluster's gateway gets one address of it), the router beyond the gateways, the bridge that is this network on
/// gateway hosts, and — in a lab — the namespace that is the network (where `vcm ssh` connects from).
/// </summary>
public sealed record ExternalNetworkOptions(string Subnet, string Router, string Bridge, string? Netns = null);
