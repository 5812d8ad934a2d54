using Vcm.Agent.Tests.Conformance;

namespace Vcm.Agent.Tests.Linux.Network;

/// <summary>
/// The suite makes namespaces, bridges, VXLAN devices, nftables tables and daemons: it needs root and the programs
/// the Linux network driver runs (iproute2, nftables, dnsmasq) plus busybox for the stand-in nodes.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class RequiresNetworkAdminAttribute : HostRequirementAttribute
{
    private static readonly string[] Programs = ["ip", "bridge", "nft", "dnsmasq", "busybox", "sysctl", "kill", "setsid"];

    public override string? Unmet() => Reason();

    /// <summary>Why this machine cannot run the Linux network tests, or null.</summary>
    public static string? Reason()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "the Linux network driver needs Linux";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "the Linux network driver tests need root (namespaces, bridges, nftables)";
        }

        var missing = Programs.Where(p => !OnPath(p)).ToList();
        return missing.Count == 0 ? null : $"missing programs: {string.Join(", ", missing)}";
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));
}
