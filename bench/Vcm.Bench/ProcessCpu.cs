using System.Globalization;

namespace Vcm.Bench;

/// <summary>
/// The CPU time (user + system) a process has used so far, from /proc/PID/stat (fields 14 and 15, in clock ticks;
/// its children's times are not counted, so an agent it started is left out).
/// </summary>
internal static class ProcessCpu
{
    /// <summary>Clock ticks per second of /proc (USER_HZ; 100 on every Linux this runs on).</summary>
    private const double TicksPerSecond = 100;

    public static TimeSpan Of(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // the command name (field 2) is in parentheses and may hold spaces: the fields after it start after the last ')'
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
