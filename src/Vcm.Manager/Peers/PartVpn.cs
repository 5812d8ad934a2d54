using System.Text.Json;
using Vcm.Api;

namespace Vcm.Manager.Peers;

/// <summary>
/// The client end of a part's VPN as the home gives it to the peer (and the peer keeps it in its part's part_vpn):
/// the home gateway host's WAN address and port, and the client's keys (PEM). <see cref="ServerAddresses"/>: every WAN
/// address of the home's gateway host in path order, when it has several WAN paths.
/// </summary>
public sealed record PartVpn(
    string ServerAddress,
    int ServerPort,
    string CaCertificate,
    string Certificate,
    string PrivateKey,
    string TlsCryptKey,
    int? RateMbit,
    IReadOnlyList<string>? ServerAddresses = null)
{
    public string Serialize() => JsonSerializer.Serialize(this, ApiJson.Options);

    public static PartVpn Deserialize(string json) =>
        JsonSerializer.Deserialize<PartVpn>(json, ApiJson.Options) ?? throw new JsonException("empty part VPN");
}
