using Vcm.Domain.Clusters;

namespace Vcm.Store.Records;

public sealed class NodeRecord
{
    public required string Id { get; set; }

    public required string ClusterId { get; set; }

    public required string Name { get; set; }

    public required NodeRole Role { get; set; }

    public int Idx { get; set; }

    /// <summary>The local host of the node's VM; null for a node another site builds (see <see cref="RemoteHost"/>).</summary>
    public string? HostId { get; set; }

    /// <summary>For a node at another site: the host there that runs it, as that site reports.</summary>
    public string? RemoteHost { get; set; }

    public required string Site { get; set; }

    public required string Mac { get; set; }

    public required string Ip { get; set; }

    public required NodeState State { get; set; }

    public string? Detail { get; set; }

    /// <summary>The node's metadata token (see docs/guest-protocol.md).</summary>
    public string? Token { get; set; }

    /// <summary>The port on the gateway's external address that forwards to the node's SSH server.</summary>
    public int? SshPort { get; set; }

    /// <summary>The SSH host key the node reported when it phoned home, and its fingerprint.</summary>
    public string? HostKey { get; set; }

    public string? HostKeyFingerprint { get; set; }

    /// <summary>
    /// The node's SSH host private key (OpenSSH format) made by the manager at admission, encrypted at rest; its public
    /// half is <see cref="HostKey"/> from the start, and a report of another key does not replace it. Null for a node
    /// whose guest makes its own key (admitted before, or a part whose home serves its metadata).
    /// </summary>
    public string? HostKeyPrivate { get; set; }

    /// <summary>When its VM was last started or restarted; a phone-home report older than that is stale.</summary>
    public long? BootedMs { get; set; }

    public long Version { get; set; }
}
