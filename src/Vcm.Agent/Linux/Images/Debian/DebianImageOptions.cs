namespace Vcm.Agent.Linux.Images.Debian;

/// <summary>What the Debian image builder takes from Debian, and where it keeps its downloads.</summary>
public sealed record DebianImageOptions
{
    /// <summary>Downloaded .deb files and their unpacked trees (shared with the micro image builder).</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>This machine's apt configuration, whose sources the image is built from.</summary>
    public string AptDirectory { get; init; } = "/etc/apt";

    /// <summary>The kernel metapackage; the image boots the versioned linux-image-* package it depends on today.</summary>
    public string KernelMetapackage { get; init; } = "linux-image-cloud-amd64";

    /// <summary>The initramfs's shell and tools (static: the initramfs holds no libraries).</summary>
    public string BusyboxPackage { get; init; } = "busybox-static";

    /// <summary>Installed over the minimal base: the SSH server, busybox (init, udhcpc, wget), modprobe, resize2fs, ip, ps, and the NFS server and client (/home of the head on every node).</summary>
    public IReadOnlyList<string> Packages { get; init; } = ["openssh-server", "busybox", "kmod", "e2fsprogs", "iproute2", "procps", "less", "nfs-kernel-server"];

    /// <summary>Left out of every package unpacked into the image (documentation and translations).</summary>
    public IReadOnlyList<string> ExcludedPaths { get; init; } = ["/usr/share/man/*", "/usr/share/doc/*", "/usr/share/info/*", "/usr/share/locale/*"];

    /// <summary>Loaded by the initramfs: what it takes to find and mount the root disk (ext4 is built into the cloud kernel).</summary>
    public IReadOnlyList<string> InitrdModules { get; init; } = ["virtio_pci", "virtio_blk"];

    /// <summary>Loaded by the system's boot script.</summary>
    public IReadOnlyList<string> BootModules { get; init; } = ["virtio_net", "virtio_rng", "qemu_fw_cfg"];

    /// <summary>The root file system's size: no node disk may be smaller; a larger disk is grown into at boot.</summary>
    public long RootDiskMb { get; init; } = 1536;

    public TimeSpan BootstrapTimeout { get; init; } = TimeSpan.FromMinutes(60);
}
