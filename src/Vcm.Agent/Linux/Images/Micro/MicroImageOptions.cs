namespace Vcm.Agent.Linux.Images.Micro;

/// <summary>Where the micro image builder keeps its downloads, and what it takes from Debian.</summary>
public sealed record MicroImageOptions
{
    /// <summary>Downloaded .deb files and their unpacked trees, by package name and version; safe to share between builds.</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>The kernel metapackage; the image takes the versioned linux-image-* package it depends on today.</summary>
    public string KernelMetapackage { get; init; } = "linux-image-cloud-amd64";

    public string BusyboxPackage { get; init; } = "busybox-static";

    /// <summary>The SSH server's package, and the programs taken from it (with the libraries they load).</summary>
    public string SshPackage { get; init; } = "dropbear-bin";

    public IReadOnlyList<string> SshPrograms { get; init; } = ["/usr/sbin/dropbear", "/usr/bin/dropbearkey", "/usr/bin/dropbearconvert"];

    /// <summary>Run apt-get update and try again once when apt cannot find or fetch a package (a stale index).</summary>
    public bool UpdatePackageIndex { get; init; } = true;

    /// <summary>Kernel modules to load at boot; what they depend on is added and ordered by the builder.</summary>
    public IReadOnlyList<string> Modules { get; init; } = ["virtio_pci", "virtio_net", "virtio_blk", "virtio_rng", "qemu_fw_cfg"];
}
