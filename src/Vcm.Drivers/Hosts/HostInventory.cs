using Vcm.Drivers.Compute;
using Vcm.Drivers.Storage;

namespace Vcm.Drivers.Hosts;

/// <summary>Everything vcm made on one host, as the host itself reports it.</summary>
public sealed record HostInventory(
    string Host,
    IReadOnlyList<VmStatus> Vms,
    IReadOnlyList<string> Segments,
    IReadOnlyList<string> Gateways,
    IReadOnlyList<VolumeStatus> Volumes,
    IReadOnlyList<string> Images,
    IReadOnlyList<string> Disks)
{
    public IReadOnlyList<string> Vpns { get; init; } = [];
}
