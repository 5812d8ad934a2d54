using Vcm.Testing;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Micro;

/// <summary>
/// A fact that boots the micro guest on a segment it builds (network namespaces, a bridge, dnsmasq, `vcm metadata`):
/// needs root, the host programs, and the built `vcm`; skipped, with the reason, where any is missing.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class BootFactAttribute : FactAttribute
{
    public static readonly string[] Programs =
        ["qemu-system-x86_64", "ip", "dnsmasq", "ssh", "ssh-keygen", "setsid", .. MicroImageFixture.BuildPrograms];

    public BootFactAttribute()
    {
        Skip = ToolsFactAttribute.Unmet(root: true, Programs)
            ?? (File.Exists(RepoPaths.Cli) ? null : $"needs the built vcm at {RepoPaths.Cli} (dotnet build src/Vcm.Cli -c {RepoPaths.Configuration})");
    }
}
