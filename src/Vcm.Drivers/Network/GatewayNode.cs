namespace Vcm.Drivers.Network;

/// <summary>A node the gateway serves: its lease, its name, and what the metadata service tells it (only it).</summary>
public sealed record GatewayNode(string Name, string Mac, string Ip, IReadOnlyList<string> SshKeys, string? UserScript = null);
