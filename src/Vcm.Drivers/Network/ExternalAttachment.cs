namespace Vcm.Drivers.Network;

/// <summary>
/// The gateway's side on the site's external network: its address there (CIDR), the router beyond it, and the
/// bridge on the gateway host that is that network.
/// </summary>
public sealed record ExternalAttachment(string Bridge, string Address, string Router);
