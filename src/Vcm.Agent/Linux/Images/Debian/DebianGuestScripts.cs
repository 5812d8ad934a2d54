using System.Reflection;

namespace Vcm.Agent.Linux.Images.Debian;

/// <summary>The guest side of vcm's Debian images, embedded in this assembly from Guest/.</summary>
public static class DebianGuestScripts
{
    /// <summary>The initramfs's /init: mount /dev/vda as root and switch to busybox init.</summary>
    public static string Stage1 => Read("stage1.sh");

    /// <summary>/usr/lib/vcm/boot: file systems, hostname, SSH, NICs.</summary>
    public static string Boot => Read("boot.sh");

    /// <summary>/usr/lib/vcm/stop: what init runs before powering off.</summary>
    public static string Stop => Read("stop.sh");

    /// <summary>/etc/vcm/meta.d/50-cluster: NFS, SSH between the nodes, the tenant's files, Slurm.</summary>
    public static string Cluster => Read("cluster.sh");

    /// <summary>/etc/vcm/meta.d/40-packages: install at boot from the site's package repository through the gateway.</summary>
    public static string Packages => Read("packages.sh");

    /// <summary>/usr/lib/vcm/meta-lib.sh: PATH and fetch() for the meta.d hooks.</summary>
    public static string MetaLib => Read("meta-lib.sh");

    /// <summary>/usr/lib/vcm/known-hosts: the nodes' host keys for OpenSSH's KnownHostsCommand.</summary>
    public static string KnownHosts => Read("known-hosts.sh");

    /// <summary>/sbin/sshup: sshd with the host key vcm made for the node, or the node's own.</summary>
    public static string Sshup => Read("sshup.sh");

    /// <summary>/etc/inittab for busybox init.</summary>
    public static string Inittab => Read("inittab");

    private static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Vcm.Agent.Debian.{name}")
            ?? throw new InvalidOperationException($"the embedded guest file {name} is missing from {Assembly.GetExecutingAssembly().GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
