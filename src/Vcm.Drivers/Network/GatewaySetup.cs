namespace Vcm.Drivers.Network;

/// <summary>
/// What a cluster's nodes set up among themselves once they know who they are, served to them by the gateway's
/// metadata service: /home of the head over NFS to every worker (and the shared volume, at /shared, when the head
/// has one), root's key for SSH between the nodes, the tenant's files onto the head, and — for a Slurm cluster — its
/// munge key and slurm.conf.
/// </summary>
public sealed record GatewaySetup
{
    /// <summary>The head is a Slurm controller and the workers are Slurm nodes.</summary>
    public bool Slurm { get; init; }

    /// <summary>The cluster's munge key (base64, 128 bytes), the same on every node; null when not a Slurm cluster.</summary>
    public string? MungeKey { get; init; }

    /// <summary>root's private key on every node (PEM) for SSH between them; its public half is in every node's keys.</summary>
    public string? NodeKey { get; init; }

    /// <summary>The head has the cluster's shared volume as its second disk.</summary>
    public bool SharedVolume { get; init; }

    /// <summary>Debian packages every node installs at boot from the site's package repository (what no layer it boots holds).</summary>
    public IReadOnlyList<string> Packages { get; init; } = [];

    /// <summary>Files for the head: absolute path, octal mode, base64 content.</summary>
    public IReadOnlyList<GatewayFile> Files { get; init; } = [];
}

/// <summary>A file the head gets: its absolute path, octal mode (0644) and content in base64.</summary>
public sealed record GatewayFile(string Path, string Mode, string Content);
