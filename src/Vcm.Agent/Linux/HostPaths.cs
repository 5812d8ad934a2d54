namespace Vcm.Agent.Linux;

/// <summary>Where a host keeps what vcm makes on it. Every path is derived from the object's deterministic name.</summary>
public sealed record HostPaths(string Root)
{
    /// <summary>images/: a folder per version of each image (micro: vmlinuz, initrd.gz, base.qcow2, manifest.json), see <see cref="Images.ImageCache"/>.</summary>
    public string Images => Path.Combine(Root, "images");

    public string Disks => Path.Combine(Root, "disks");

    public string Disk(string name) => Path.Combine(Disks, name);

    /// <summary>vms/NAME/: pid, qmp.sock, console.log, qemu.log, spec.json.</summary>
    public string Vms => Path.Combine(Root, "vms");

    public string Vm(string name) => Path.Combine(Vms, name);

    /// <summary>gateways/NAME/: nodes.json, dnsmasq files and pid, metadata pid and log, phone-home/NODE.json.</summary>
    public string Gateways => Path.Combine(Root, "gateways");

    public string Gateway(string name) => Path.Combine(Gateways, name);

    /// <summary>vpns/NAME/: openvpn.conf, the end's certificates and keys, openvpn pid and log.</summary>
    public string Vpns => Path.Combine(Root, "vpns");

    public string Vpn(string name) => Path.Combine(Vpns, name);

    /// <summary>relays/NAME/: a migration relay end's socat PID files and logs, and a sending end's memory.sock and disk.sock.</summary>
    public string Relays => Path.Combine(Root, "relays");

    public string Relay(string name) => Path.Combine(Relays, name);

    /// <summary>volumes/NAME.img: file-backed LUNs; tgt/: the host's tgtd pid and log.</summary>
    public string Volumes => Path.Combine(Root, "volumes");

    public string Tgt => Path.Combine(Root, "tgt");

    /// <summary>packages/: the host's copy of the site's package repository, in the Debian archive's layout.</summary>
    public string Packages => Path.Combine(Root, "packages");

    /// <summary>packages.sock: where the host's copy is served to its gateways' metadata services.</summary>
    public string PackageSocket => Path.Combine(Root, "packages.sock");
}
