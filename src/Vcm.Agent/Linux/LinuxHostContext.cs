using Vcm.Drivers.Processes;

namespace Vcm.Agent.Linux;

/// <summary>
/// What every real (Linux) driver of one host needs: where the host keeps vcm's files, which network namespace is
/// "the host" (null: the agent's own; tests and single-process labs give one), its underlay address (VXLAN
/// endpoints, iSCSI portal), the process runner, the clock and daemon supervisor, and how to reach the site's image
/// store.
/// </summary>
public sealed record LinuxHostContext
{
    public required string HostName { get; init; }

    /// <summary>The host's folder for vcm: images, disks, VMs, gateways, volumes (see <see cref="HostPaths"/>).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Run host-side commands in this network namespace (ip netns exec / ip -n); null for the agent's own.</summary>
    public string? Netns { get; init; }

    /// <summary>The host's address on the site's underlay (management) network.</summary>
    public required string UnderlayAddress { get; init; }

    /// <summary>MTU of the underlay; cluster segments get this less the VXLAN overhead (50), at most 1500.</summary>
    public int UnderlayMtu { get; init; } = 1500;

    public IProcessRunner Runner { get; init; } = ProcessRunner.Instance;

    /// <summary>The clock the drivers' deadlines and graces are read from.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public Daemons Daemons => new(Runner, Clock);

    /// <summary>The `vcm` program, for daemons vcm runs itself (the per-gateway metadata service).</summary>
    public required string VcmExecutable { get; init; }

    /// <summary>The site's image store: a folder, or the manager's URL (images under /api/v1/images).</summary>
    public required string ImageStore { get; init; }

    /// <summary>The client for the site's manager and the other hosts (mutual TLS with the agent's certificate); null: a plain one.</summary>
    public HttpClient? Http { get; init; }

    /// <summary>The agent's key, presented to the manager when fetching images over HTTP.</summary>
    public string? AgentKey { get; init; }

    /// <summary>Where the host's copy of the site's package repository comes from; null: its gateways serve no packages.</summary>
    public Packages.IPackageSource? PackageSource { get; init; }

    /// <summary>How image files are copied onto this host and served to its peers.</summary>
    public Images.Distribution.ImageTransferOptions ImageTransfer { get; init; } = new();

    public HostPaths Paths => new(DataDirectory);
}
