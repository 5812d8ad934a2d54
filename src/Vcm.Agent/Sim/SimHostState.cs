using Vcm.Drivers.Compute;
using Vcm.Drivers.Network;
using Vcm.Drivers.Storage;

namespace Vcm.Agent.Sim;

/// <summary>What exists on a simulated host. Also its file format when the state is kept on disk.</summary>
public sealed class SimHostState
{
    public Dictionary<string, VmStatus> Vms { get; init; } = new(StringComparer.Ordinal);

    public Dictionary<string, SegmentSpec> Segments { get; init; } = new(StringComparer.Ordinal);

    public Dictionary<string, GatewaySpec> Gateways { get; init; } = new(StringComparer.Ordinal);

    public Dictionary<string, VpnSpec> Vpns { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The ends of cross-site migrations' relays on this host, by name.</summary>
    public Dictionary<string, MigrationRelaySpec> Relays { get; init; } = new(StringComparer.Ordinal);

    public Dictionary<string, VolumeStatus> Volumes { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Which disk each VM uses.</summary>
    public Dictionary<string, string> VmDisks { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Which initiators each volume's ACL admits.</summary>
    public Dictionary<string, List<string>> VolumeInitiators { get; init; } = new(StringComparer.Ordinal);

    public HashSet<string> Images { get; init; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Disks { get; init; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How many times each VM name was ever created on this host, deleted ones included: names are unique per
    /// cluster, so a count above one means a VM was made twice (e.g. again after its cluster was released).
    /// </summary>
    public Dictionary<string, int> VmCreations { get; init; } = new(StringComparer.Ordinal);
}
