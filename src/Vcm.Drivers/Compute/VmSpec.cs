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

    /// <summary>iSCSI volumes to attach (the shared volume on the head node).</summary>
    public IReadOnlyList<VolumeAttachment> Volumes { get; init; } = [];
}
