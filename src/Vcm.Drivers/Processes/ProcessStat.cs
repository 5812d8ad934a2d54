using System.Globalization;

namespace Vcm.Drivers.Processes;

/// <summary>
/// What /proc/PID/stat says of a process: its state, how many threads it has, when it started, the CPU time it used
/// (user and system, in clock ticks) and its resident set (in pages).
/// </summary>
internal readonly record struct ProcessStat(char State, int Threads, long StartTime, long CpuTicks = 0, long RssPages = 0)
{
    /// <summary>Clock ticks per second of /proc's CPU times: USER_HZ, fixed at 100 in Linux's user-space ABI.</summary>
    public const double TicksPerSecond = 100;

    /// <summary>
    /// True once the process has exited: a zombie (or dead) with no thread left. A zombie thread group leader whose
    /// other threads still run (it called pthread_exit) is a running process.
    /// </summary>
    public bool Exited => State is 'Z' or 'X' && Threads <= 1;

    /// <summary>The stat of PID, or null when there is no such process.</summary>
    public static ProcessStat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // pid (comm) state ppid … : comm may hold spaces and parentheses, so fields are counted after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return new ProcessStat(
            fields[0][0],
            int.Parse(fields[17], NumberStyles.Integer, CultureInfo.InvariantCulture),
            long.Parse(fields[19], NumberStyles.Integer, CultureInfo.InvariantCulture),
            long.Parse(fields[11], NumberStyles.Integer, CultureInfo.InvariantCulture) + long.Parse(fields[12], NumberStyles.Integer, CultureInfo.InvariantCulture),
            long.Parse(fields[21], NumberStyles.Integer, CultureInfo.InvariantCulture));
    }
}
