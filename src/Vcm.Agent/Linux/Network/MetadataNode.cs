namespace Vcm.Agent.Linux.Network;

/// <summary>One entry of a gateway's nodes.json, what the metadata service serves a node (JSON in camelCase).</summary>
/// <param name="TokenSha256">Hex SHA-256 of the node's token; empty when the node has no token, so no request can match it.</param>
internal sealed record MetadataNode(string Name, string Mac, string Ip, string TokenSha256, IReadOnlyList<string> SshKeys, string? UserScript);
