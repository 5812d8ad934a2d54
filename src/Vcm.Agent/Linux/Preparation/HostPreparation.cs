using Vcm.Drivers.Processes;

namespace Vcm.Agent.Linux.Preparation;

/// <summary>
/// What a host must have for the real drivers, and `vcm host prepare`: install what is missing from Debian's
/// packages (as root), or say what is needed. dnsmasq comes from dnsmasq-base: the program without a system
/// service that would take port 53.
/// </summary>
public static class HostPreparation
{
    public static readonly IReadOnlyList<Requirement> Requirements =
    [
        new("qemu-system-x86_64", "qemu-system-x86", ["/usr/bin/qemu-system-x86_64"]),
        new("qemu-img", "qemu-utils", ["/usr/bin/qemu-img"]),
        new("QEMU's iSCSI client", "qemu-block-extra", ["/usr/lib/x86_64-linux-gnu/qemu/block-iscsi.so"]),
        new("dnsmasq", "dnsmasq-base", ["/usr/sbin/dnsmasq"]),
        new("nft", "nftables", ["/usr/sbin/nft", "/sbin/nft"]),
        new("tgtd", "tgt", ["/usr/sbin/tgtd"]),
        new("ip", "iproute2", ["/usr/sbin/ip", "/sbin/ip", "/bin/ip", "/usr/bin/ip"]),
        new("busybox", "busybox-static", ["/bin/busybox", "/usr/bin/busybox"]),
        new("cpio", "cpio", ["/usr/bin/cpio", "/bin/cpio"]),
        new("ssh", "openssh-client", ["/usr/bin/ssh"]),
        new("openvpn", "openvpn", ["/usr/sbin/openvpn"]),
        new("socat (relays cross-site migrations)", "socat", ["/usr/bin/socat"]),
        new("setsid", "util-linux", ["/usr/bin/setsid", "/bin/setsid"]),
        new("mmdebstrap (builds the Debian images)", "mmdebstrap", ["/usr/bin/mmdebstrap"]),
        new("mke2fs", "e2fsprogs", ["/usr/sbin/mke2fs", "/sbin/mke2fs"]),
    ];

    public static IReadOnlyList<Requirement> Missing() => Requirements.Where(r => !r.Present).ToList();

    /// <summary>Installs what is missing; returns one sentence saying what was done.</summary>
    public static async Task<PreparationResult> PrepareAsync(IProcessRunner runner, bool isRoot, CancellationToken cancellationToken)
    {
        var missing = Missing();
        if (missing.Count == 0)
        {
            return new PreparationResult(true, "This host has everything vcm needs.");
        }

        var packages = missing.Select(m => m.Package).Distinct().Order(StringComparer.Ordinal).ToList();
        if (!isRoot)
        {
            return new PreparationResult(false,
                $"vcm needs {string.Join(", ", packages)} from Debian's packages, and installing them takes root: run `sudo vcm host prepare` or `apt-get install {string.Join(' ', packages)}`.");
        }

        var environment = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        var install = await runner.RunAsync(
            new ProcessSpec("apt-get", ["install", "-y", "-q", "--no-install-recommends", .. packages]) { Environment = environment, Timeout = TimeSpan.FromMinutes(20) },
            cancellationToken);
        if (!install.Succeeded)
        {
            // The package lists may be missing or stale on a fresh machine: refresh them once and try again.
            await runner.RunAsync(new ProcessSpec("apt-get", ["update", "-q"]) { Environment = environment, Timeout = TimeSpan.FromMinutes(10) }, cancellationToken);
            install = await runner.RunAsync(
                new ProcessSpec("apt-get", ["install", "-y", "-q", "--no-install-recommends", .. packages]) { Environment = environment, Timeout = TimeSpan.FromMinutes(20) },
                cancellationToken);
        }

        var still = Missing();
        return still.Count == 0
            ? new PreparationResult(true, $"Installed {string.Join(", ", packages)} from Debian's packages.")
            : new PreparationResult(false, $"Installing {string.Join(", ", still.Select(m => m.Package).Distinct())} failed: {LastLine(install.StandardError)}");
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "apt-get gave no reason";
}
