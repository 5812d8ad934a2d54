using System.Globalization;
using System.Text;
using Vcm.Drivers;
using Vcm.Drivers.Compute;

namespace Vcm.Agent.Linux.Compute;

/// <summary>The QEMU arguments for a VM (everything after the program's name).</summary>
internal static class QemuCommandLine
{
    /// <summary>What the kernel command line of a directly booted image always starts with.</summary>
    public const string KernelBase = "console=ttyS0 quiet panic=-1";

    /// <summary>The guest setting that holds the node's metadata token: a secret, so never on the command line.</summary>
    public const string TokenSetting = "vm.token";

    /// <summary>
    /// The fw_cfg item the token reaches the guest by (its file is 0600 in the VM's folder); the guest reads it at
    /// /sys/firmware/qemu_fw_cfg/by_name/opt/vcm/token/raw (docs/guest-protocol.md).
    /// </summary>
    public const string TokenItem = "opt/vcm/token";

    /// <summary>The node name of the VM's disk (its qcow2 format node): what a migration mirrors and exports over NBD.</summary>
    public const string DiskNode = "disk0";

    /// <param name="image">The image folder whose kernel and initramfs the VM boots (those of the version its disk was made from).</param>
    /// <param name="incoming">The receiving end of a live migration: the same arguments plus -incoming defer.</param>
    public static List<string> Build(VmSpec spec, HostPaths paths, VmFolder vm, bool kvm, string image, bool incoming = false)
    {
        var kernel = Path.Combine(image, "vmlinuz");
        var args = new List<string>
        {
            "-name", $"guest={spec.Name}",
            "-accel", kvm ? "kvm" : "tcg",
            "-nodefaults", "-no-user-config", "-display", "none",
            "-m", spec.MemoryMb.ToString(CultureInfo.InvariantCulture),
            "-smp", spec.Cpus.ToString(CultureInfo.InvariantCulture),
            "-device", "virtio-rng-pci",
            "-chardev", $"socket,id=console,path={Escape(vm.ConsoleSocket)},server=on,wait=off,logfile={Escape(vm.ConsoleLog)},logappend=on",
            "-serial", "chardev:console",
            "-qmp", $"unix:{Escape(vm.QmpSocket)},server=on,wait=off",
        };

        if (Token(spec) is not null)
        {
            args.AddRange(["-fw_cfg", $"name={TokenItem},file={Escape(vm.TokenFile)}"]);
        }

        var bootsKernel = File.Exists(kernel);
        if (bootsKernel)
        {
            args.AddRange(["-kernel", kernel, "-initrd", Path.Combine(image, "initrd.gz"), "-append", KernelArguments(spec)]);
        }

        // The disk as named block nodes (a -drive's nodes cannot be exported writable to a migration's mirror while
        // inactive); share-rw lets that export write beside the device while the receiver waits.
        args.AddRange([
            "-blockdev", $"driver=file,filename={Escape(paths.Disk(spec.Disk))},node-name={DiskNode}-file",
            "-blockdev", $"driver=qcow2,file={DiskNode}-file,node-name={DiskNode}",
            "-device", $"virtio-blk-pci,drive={DiskNode},share-rw=on" + (bootsKernel ? "" : ",bootindex=0"),
            "-netdev", $"tap,id=net0,ifname={vm.Tap},script=no,downscript=no",
            "-device", $"virtio-net-pci,netdev=net0,mac={spec.Mac},romfile=",
        ]);

        for (var i = 0; i < spec.Volumes.Count; i++)
        {
            var volume = spec.Volumes[i];
            var id = "vol" + i.ToString(CultureInfo.InvariantCulture);

            // The structured form of iscsi://PORTAL/TARGET/LUN, so that each drive logs in with its own initiator name.
            args.AddRange([
                "-drive", string.Create(CultureInfo.InvariantCulture,
                    $"file.driver=iscsi,file.transport=tcp,file.portal={Escape(volume.Portal)},file.target={Escape(volume.Target)},file.lun={volume.Lun},file.initiator-name={Escape(volume.Initiator)},format=raw,if=none,id={id},cache=none"),
                "-device", $"virtio-blk-pci,drive={id}",
            ]);
        }

        if (incoming)
        {
            args.AddRange(["-incoming", "defer"]);
        }

        return args;
    }

    /// <summary>The node's token, when the spec has one: what goes into <see cref="VmFolder.TokenFile"/>.</summary>
    public static string? Token(VmSpec spec) => spec.GuestArgs.TryGetValue(TokenSetting, out var token) && token.Length > 0 ? token : null;

    /// <summary>
    /// "console=ttyS0 quiet panic=-1" then the guest settings: vm.name first (the spec's hostname or name unless the
    /// settings give one), the others in key order; never the token (<see cref="TokenItem"/> carries it). Keys and
    /// values may not hold spaces or quotes (the kernel splits there).
    /// </summary>
    public static string KernelArguments(VmSpec spec)
    {
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in spec.GuestArgs)
        {
            if (key == TokenSetting)
            {
                continue;
            }

            if (key.Length == 0 || !IsPlain(key) || !IsPlain(value) || key.Contains('=', StringComparison.Ordinal))
            {
                throw new DriverException($"guest setting '{key}' of VM {spec.Name} cannot go on a kernel command line", terminal: true);
            }

            settings[key] = value;
        }

        var line = new StringBuilder(KernelBase);
        var name = settings.Remove("vm.name", out var given) ? given : spec.Hostname ?? spec.Name;
        line.Append(" vm.name=").Append(name);
        foreach (var (key, value) in settings)
        {
            line.Append(' ').Append(key).Append('=').Append(value);
        }

        return line.ToString();
    }

    private static bool IsPlain(string text) => text.All(c => c > ' ' && c != '"' && c != '\'' && c < 127);

    /// <summary>QEMU option values split at commas; a literal comma is written twice.</summary>
    private static string Escape(string value) => value.Replace(",", ",,", StringComparison.Ordinal);
}
