namespace Vcm.Drivers.Network;

/// <summary>
/// A node the gateway serves: its DHCP lease and DNS name, the metadata only it may read (its token proves who
/// asks), and the port on the gateway's external address that forwards to its SSH server (0: none).
/// </summary>
public sealed record GatewayNode(
    string Name,
    string Mac,
    string Ip,
    IReadOnlyList<string> SshKeys,
    string? UserScript = null,
    string Token = "",
    int SshPort = 0);
