namespace Vcm.Agent.Metadata;

/// <summary>
/// One node in a gateway's nodes.json: what the metadata service may tell it (hostname = <see cref="Name"/>, SSH
/// keys, user script) and how it proves who it is: requests from <see cref="Ip"/> carrying the token whose SHA-256
/// (lowercase hex) is <see cref="TokenSha256"/>. An empty hash lets nobody in. <see cref="Head"/>, <see cref="Cpus"/>
/// and <see cref="MemoryMb"/> are what the cluster's set-up tells every node of it (the node list, slurm.conf).
/// <see cref="HostKey"/>: the node's SSH host private key when the manager made one (served to it alone).
/// </summary>
public sealed record MetadataNode(
    string Name,
    string Mac,
    string Ip,
    string TokenSha256,
    IReadOnlyList<string> SshKeys,
    string? UserScript = null,
    bool Head = false,
    int Cpus = 0,
    long MemoryMb = 0,
    string? HostKey = null);
