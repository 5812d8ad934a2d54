using Xunit;

namespace Vcm.Cli.Tests.Lab;

/// <summary>A fact that needs root on Linux (network namespaces); reported as skipped, with the reason, elsewhere.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            Skip = "needs root on Linux (network namespaces)";
        }
    }
}
