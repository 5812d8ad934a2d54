using System.Globalization;

namespace Vcm.Drivers.Processes;

/// <summary>
/// One process, told apart from any later one that gets its PID: the PID and the process's start time (in clock
/// ticks since boot, as /proc/PID/stat gives it).
/// </summary>
public readonly record struct ProcessIdentity(int Pid, long StartTime)
{
    /// <summary>The process that has this PID now, or null when none runs (none at all, or one that has exited).</summary>
    public static ProcessIdentity? Of(int pid) =>
        ProcessStat.Read(pid) is { Exited: false } stat ? new ProcessIdentity(pid, stat.StartTime) : null;

    /// <summary>True while this very process runs: not exited, and its PID not yet taken by another.</summary>
    public bool IsRunning => ProcessStat.Read(Pid) is { Exited: false } stat && stat.StartTime == StartTime;

    /// <summary>
    /// The process's command line, its arguments joined by spaces. A thread group leader that has exited leaves an
    /// empty command line behind while its other threads run; theirs is read then.
    /// </summary>
    public static string CommandLine(int pid)
    {
        var folder = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}";
        try
        {
            var text = ReadCommandLine(Path.Combine(folder, "cmdline"));
            if (text.Length > 0)
            {
                return text;
            }

            foreach (var task in Directory.EnumerateDirectories(Path.Combine(folder, "task")))
            {
                text = ReadCommandLine(Path.Combine(task, "cmdline"));
                if (text.Length > 0)
                {
                    return text;
                }
            }
        }
        catch (IOException)
        {
            // gone meanwhile
        }
        catch (UnauthorizedAccessException)
        {
            // not ours to read
        }

        return "";
    }

    private static string ReadCommandLine(string file)
    {
        try
        {
            return File.ReadAllText(file).Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }
}
