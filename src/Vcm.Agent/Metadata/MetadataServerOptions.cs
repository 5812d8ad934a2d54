namespace Vcm.Agent.Metadata;

/// <summary>One gateway's metadata service: its folder (nodes.json, phone-home/) and where it listens.</summary>
public sealed record MetadataServerOptions
{
    /// <summary>The gateway's folder.</summary>
    public required string Directory { get; init; }

    /// <summary>The URL to listen on: the gateway's address on the cluster segment, port 80 (http://IP:80).</summary>
    public required string Listen { get; init; }

    /// <summary>The host's package socket (the site's package repository), served to the nodes at /apt; null: none.</summary>
    public string? PackageSocket { get; init; }
}
