using Vcm.Agent.Tests.Conformance;

namespace Vcm.Agent.Tests.Linux;

/// <summary>
/// The suite drives real host tools: it needs root (namespaces, taps, tgtd) and the programs below on PATH. Where
/// they are missing, its tests are skipped with the reason.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class RequiresLinuxHostAttribute : HostRequirementAttribute
{
    private static readonly string[] Programs =
        ["ip", "qemu-system-x86_64", "qemu-img", "tgtd", "tgtadm", "cpio", "gzip", "apt-get", "apt-cache", "dpkg-deb"];

    public override string? Unmet()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return "needs root (network namespaces, taps, tgtd)";
        }

        if (!File.Exists("/bin/busybox"))
        {
            return "needs /bin/busybox (Debian package busybox-static) for the test guest";
        }

        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        var missing = Programs.Where(p => !path.Any(dir => File.Exists(Path.Combine(dir, p)))).ToList();
        return missing.Count == 0 ? null : "needs " + string.Join(", ", missing) + " (qemu-system-x86, qemu-utils, qemu-block-extra, tgt, cpio)";
    }
}
