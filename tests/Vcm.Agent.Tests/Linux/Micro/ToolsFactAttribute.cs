using Xunit;

namespace Vcm.Agent.Tests.Linux.Micro;

/// <summary>
/// A fact that needs this machine to be a Linux host of vcm's kind: the named programs on PATH (and root, when
/// asked). Where something is missing it is reported as skipped, with the reason, instead of failing.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ToolsFactAttribute : FactAttribute
{
    public ToolsFactAttribute(bool root, params string[] programs)
    {
        if (Unmet(root, programs) is { } reason)
        {
            Skip = reason;
        }
    }

    public static string? Unmet(bool root, IEnumerable<string> programs)
    {
        if (!OperatingSystem.IsLinux())
        {
            return "needs Linux";
        }

        if (root && Environment.UserName != "root")
        {
            return "needs root (network namespaces, taps)";
        }

        var missing = programs.Where(p => Which(p) is null).ToList();
        return missing.Count > 0 ? $"needs {string.Join(", ", missing)} on PATH" : null;
    }

    public static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':')
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
