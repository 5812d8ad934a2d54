using System.Text.Json;
using Vcm.Api;

namespace Vcm.Manager.Federation;

/// <summary>
/// At a site building a part of another site's cluster: the VPN's client end as the home gave it, and the port
/// this end uses (lowest free from <see cref="FirstClientPort"/> among live parts here; kept in clusters.part_spec).
/// </summary>
public sealed record PeerPart(PartVpn Vpn, int ClientPort)
{
    public const int FirstClientPort = 40000;

    public string Serialize() => JsonSerializer.Serialize(this, ApiJson.Options);

    public static PeerPart Deserialize(string json) =>
        JsonSerializer.Deserialize<PeerPart>(json, ApiJson.Options) ?? throw new InvalidOperationException("empty part spec");
}
