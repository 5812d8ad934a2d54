using System.Globalization;

namespace Vcm.Lab.Tests;

/// <summary>A process on this machine as /proc shows it; a process that has ended meanwhile reads as absent.</summary>
public static class HostProcess
{
    /// <summary>The process's command name, or null when it has ended.</summary>
    public static string? Name(int pid) => Read(pid, "comm")?.Trim();

    /// <summary>True when <paramref name="ancestor"/> started the process, directly or through others.</summary>
    public static bool DescendsFrom(int pid, int ancestor)
    {
        for (var current = Parent(pid); current is > 1; current = Parent(current.Value))
        {
            if (current == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    private static int? Parent(int pid)
    {
        // stat is "pid (comm) state ppid …", and comm may hold spaces or parentheses
        var stat = Read(pid, "stat");
        var fields = stat?[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields is { Length: > 1 } ? int.Parse(fields[1], CultureInfo.InvariantCulture) : null;
    }

    private static string? Read(int pid, string file)
    {
        try
        {
            return File.ReadAllText(Path.Combine("/proc", pid.ToString(CultureInfo.InvariantCulture), file));
        }
        catch (IOException)
        {
            return null;
        }
    }
}
