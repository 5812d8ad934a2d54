namespace Vcm.Agent.Linux.Network;

/// <summary>
/// One WAN path of a VPN end as the path selector last saw it: usable when its local WAN link is up with a carrier
/// and its openvpn's tunnel is connected; <see cref="UsableSinceMs"/> is when it was first seen usable in a row
/// (null when it is not).
/// </summary>
internal sealed record VpnPathHealth(int Path, bool Usable, long? UsableSinceMs);
