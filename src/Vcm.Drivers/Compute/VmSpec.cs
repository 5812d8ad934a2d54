namespace Vcm.Drivers.Compute;

/// <summary>A VM as the manager wants it. <see cref="Name"/> is its identity on the host.</summary>
public sealed record VmSpec
{
    public required string Name { get; init; }

    public required int Cpus { get; init; }

    public required long MemoryMb { get; init; }

    /// <summary>The node's disk, by the name the image driver gave it.</summary>
    public required string Disk { get; init; }

    public required string Mac { get; init; }

    /// <summary>The cluster bridge the VM's NIC joins.</summary>
    public required string Bridge { get; init; }

    public string? Hostname { get; init; }

    /// <summary>The base image the VM boots (for the micro image: its kernel and initramfs).</summary>
    public string Image { get; init; } = "micro";

    /// <summary>
    /// Key=value settings for the guest, passed on the kernel command line of images that boot a kernel directly
    /// (see docs/guest-protocol.md): vm.name, vm.token (the node's metadata token), vm.meta (metadata URL).
    /// </summary>
    public IReadOnlyDictionary<string, string> GuestArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>iSCSI volumes to attach (the shared volume on the head node).</summary>
    public IReadOnlyList<VolumeAttachment> Volumes { get; init; } = [];
}
