using System.Text.Json;
using Vcm.Api;
using Vcm.Drivers.Network;

namespace Vcm.Manager.Peers;

/// <summary>At the home site: the keys made for a part's VPN, as kept in cluster_parts.vpn (its ports have columns of their own).</summary>
public static class PartVpnKeys
{
    /// <summary>Where the home's server ends take their ports from (the lowest free one).</summary>
    public const int FirstServerPort = 30000;

    /// <summary>Where a peer's client ends take their ports from (the lowest free one).</summary>
    public const int FirstClientPort = 40000;

    public static string Serialize(VpnKeys.Keys keys) => JsonSerializer.Serialize(keys, ApiJson.Options);

    public static VpnKeys.Keys Deserialize(string json) =>
        JsonSerializer.Deserialize<VpnKeys.Keys>(json, ApiJson.Options) ?? throw new JsonException("empty part VPN keys");
}
