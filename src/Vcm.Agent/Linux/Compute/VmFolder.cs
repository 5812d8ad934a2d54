using System.Security.Cryptography;
using System.Text;

namespace Vcm.Agent.Linux.Compute;

/// <summary>
/// One VM's files under vms/NAME/ and the names derived from the VM's name: its tap (≤ 15 characters) and the marker
/// its QEMU command line must hold for a PID to count as it.
/// </summary>
internal sealed record VmFolder(string Directory, string Name)
{
    public static VmFolder For(HostPaths paths, string name) => new(paths.Vm(name), name);

    public string PidFile => Path.Combine(Directory, "pid");

    public string QmpSocket => Path.Combine(Directory, "qmp.sock");

    public string ConsoleSocket => Path.Combine(Directory, "console.sock");

    public string ConsoleLog => Path.Combine(Directory, "console.log");

    public string QemuLog => Path.Combine(Directory, "qemu.log");

    /// <summary>The node's metadata token (0600), which QEMU hands the guest as a fw_cfg item: off its command line.</summary>
    public string TokenFile => Path.Combine(Directory, "token");

    /// <summary>Written once the VM has started: a folder without it holds only the log of a start that failed.</summary>
    public string SpecFile => Path.Combine(Directory, "spec.json");

    /// <summary>
    /// Written by <c>PrepareIncomingAsync</c> once the receiving end of a migration listens: the
    /// <see cref="Vcm.Drivers.Compute.IncomingVm"/> it answers. A folder with it and without spec.json is a receiver.
    /// </summary>
    public string IncomingFile => Path.Combine(Directory, "incoming.json");

    /// <summary>Where a receiver prepared with <see cref="Vcm.Drivers.Compute.IncomingVm.UnixSockets"/> takes the memory (migrate-incoming unix:PATH).</summary>
    public string IncomingMemorySocket => Path.Combine(Directory, "incoming-memory.sock");

    /// <summary>Where a receiver prepared with <see cref="Vcm.Drivers.Compute.IncomingVm.UnixSockets"/> serves its disk's NBD export.</summary>
    public string IncomingDiskSocket => Path.Combine(Directory, "incoming-disk.sock");

    /// <summary>Written by <c>MigrateVmAsync</c> before it starts a migration: the receiver it migrates to.</summary>
    public string MigratingFile => Path.Combine(Directory, "migrating.json");

    /// <summary>Written once a migration away completed: its report. The VM is never started here again.</summary>
    public string MigratedFile => Path.Combine(Directory, "migrated.json");

    /// <summary>The QMP socket's path: unique per host folder and VM (the bare name is a prefix of longer names).</summary>
    public string Marker => QmpSocket;

    public string Tap => TapName(Name);

    /// <summary>"vct" + 8 hex digits of the VM name's SHA-256: deterministic, within Linux's 15 characters.</summary>
    public static string TapName(string vmName) =>
        "vct" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(vmName)))[..8];
}
