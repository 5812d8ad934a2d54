using System.Text.Json;
using Vcm.Api;
using Vcm.Drivers.Network;

namespace Vcm.Manager.Federation;

/// <summary>
/// At the home site, a part's VPN: the port its server end listens on at the home gateway host (lowest free from
/// <see cref="FirstServerPort"/> among live parts) and the keys made for it (kept in cluster_parts.vpn).
/// </summary>
public sealed record PartVpnKeys(int Port, VpnKeys.Keys Keys)
{
    /// <summary>The port of the client end at the peer, once the peer admitted the part.</summary>
    public int? ClientPort { get; init; }

    public const int FirstServerPort = 30000;

    public static PartVpnKeys Create(string cluster, int port, DateTimeOffset now) => new(port, VpnKeys.Create(cluster, now));

    public string Serialize() => JsonSerializer.Serialize(this, ApiJson.Options);

    public static PartVpnKeys Deserialize(string json) =>
        JsonSerializer.Deserialize<PartVpnKeys>(json, ApiJson.Options) ?? throw new InvalidOperationException("empty part VPN");
}
