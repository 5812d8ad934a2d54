using Vcm.Domain.Hosts;

namespace Vcm.Store.Records;

public sealed class HostRecord
{
    public required string Id { get; set; }

    public required string SiteId { get; set; }

    public required string AgentId { get; set; }

    public required string Name { get; set; }

    /// <summary><see cref="Vcm.Domain.Scheduling.HostRoles"/> flags.</summary>
    public int Roles { get; set; }

    public long Cpus { get; set; }

    public long MemoryMb { get; set; }

    public long DiskMb { get; set; }

    public bool Kvm { get; set; }

    public required string Address { get; set; }

    public required string Driver { get; set; }

    /// <summary>A gateway host's address on the WAN between sites (VPN ends).</summary>
    public string? WanAddress { get; set; }

    /// <summary>Every WAN address of a gateway host with several WAN links, comma-separated in path order; null with at most one.</summary>
    public string? WanAddresses { get; set; }

    public required HostState State { get; set; }

    public long HeartbeatMs { get; set; }

    public long Version { get; set; }
}
