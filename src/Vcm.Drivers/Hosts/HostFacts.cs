namespace Vcm.Drivers.Hosts;

/// <summary>What a host reports of itself when it joins and at each heartbeat.</summary>
public sealed record HostFacts
{
    public required string Name { get; init; }

    public required int Cpus { get; init; }

    public required long MemoryMb { get; init; }

    public required long DiskMb { get; init; }

    /// <summary>Whether hardware virtualisation really works here (probed, not assumed).</summary>
    public bool Kvm { get; init; }

    /// <summary>compute, gateway, storage.</summary>
    public IReadOnlyList<string> Roles { get; init; } = ["compute"];

    /// <summary>The host's address on the site's underlay network (VXLAN peers, iSCSI portal).</summary>
    public string Address { get; init; } = "127.0.0.1";

    /// <summary>A gateway host's address on the WAN between sites (VPN ends); null where it has none.</summary>
    public string? WanAddress { get; init; }

    /// <summary>
    /// Every WAN address of a gateway host with several WAN links, in path order (the first is <see cref="WanAddress"/>):
    /// the k-th makes the k-th path of its VPN ends. Empty where it has at most one.
    /// </summary>
    public IReadOnlyList<string> WanAddresses { get; init; } = [];

    /// <summary>Which drivers serve the host: "sim" or "linux".</summary>
    public required string Driver { get; init; }
}
