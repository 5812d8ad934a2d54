using System.Globalization;

namespace Vcm.Drivers.Processes;

/// <summary>
/// Starts, finds and stops detached daemons by PID file. A daemon is started through setsid so it survives the
/// agent (a killed agent must not take its VMs and gateways with it), with stdin closed and its output appended to
/// its log file. Only a process whose command line holds the spec's marker is ever signalled.
/// </summary>
public sealed class Daemons(IProcessRunner runner)
{
    /// <summary>Starts the daemon unless it runs already; returns its PID.</summary>
    public async Task<int> EnsureAsync(DaemonSpec spec, CancellationToken cancellationToken)
    {
        if (RunningPid(spec) is { } pid)
        {
            return pid;
        }

        return await StartAsync(spec, cancellationToken);
    }

    /// <summary>Starts the daemon (a stale PID file is replaced) and waits until its PID file names it.</summary>
    public async Task<int> StartAsync(DaemonSpec spec, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(spec.PidFile)!);
        Directory.CreateDirectory(Path.GetDirectoryName(spec.LogFile)!);
        File.Delete(spec.PidFile);

        // sh writes its own PID, then execs the program in place: the PID stays the program's.
        var script = "echo $$ > \"$0\"; exec \"$@\" >> \"$VCM_DAEMON_LOG\" 2>&1 < /dev/null";
        var args = new List<string>();
        var file = "setsid";
        if (spec.Netns is not null)
        {
            file = "ip";
            args.AddRange(["netns", "exec", spec.Netns, "setsid"]);
        }

        args.AddRange(["-f", "sh", "-c", script, spec.PidFile, spec.FileName]);
        args.AddRange(spec.Arguments);
        var environment = new Dictionary<string, string?>(spec.Environment) { ["VCM_DAEMON_LOG"] = spec.LogFile };
        (await runner.RunAsync(new ProcessSpec(file, args) { Environment = environment, Timeout = TimeSpan.FromSeconds(30) }, cancellationToken))
            .EnsureSuccess();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (RunningPid(spec) is { } pid)
            {
                return pid;
            }

            await Task.Delay(10, cancellationToken);
        }

        throw new DriverException($"{Path.GetFileName(spec.FileName)} did not start; see {spec.LogFile}: {Tail(spec.LogFile)}");
    }

    /// <summary>The daemon's PID if its PID file names a live process whose command line holds the marker.</summary>
    public static int? RunningPid(DaemonSpec spec) => RunningPid(spec.PidFile, spec.Marker);

    public static int? RunningPid(string pidFile, string marker)
    {
        if (!File.Exists(pidFile))
        {
            return null;
        }

        if (!int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }

        return IsProcess(pid, marker) ? pid : null;
    }

    /// <summary>True when PID is alive (not a zombie) and its command line holds the marker.</summary>
    public static bool IsProcess(int pid, string marker)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            if (state is "Z" or "X")
            {
                return false;
            }

            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            return cmdline.Contains(marker, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Stops the daemon: SIGTERM, then SIGKILL after <paramref name="grace"/>; removes its PID file. Absent is fine.</summary>
    public static async Task<bool> StopAsync(string pidFile, string marker, TimeSpan grace, CancellationToken cancellationToken)
    {
        var pid = RunningPid(pidFile, marker);
        if (pid is null)
        {
            DeleteQuietly(pidFile);
            return false;
        }

        Signals.Terminate(pid.Value);
        var deadline = DateTime.UtcNow + grace;
        while (IsProcess(pid.Value, marker) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, cancellationToken);
        }

        if (IsProcess(pid.Value, marker))
        {
            Signals.ForceKill(pid.Value);
            var killDeadline = DateTime.UtcNow.AddSeconds(5);
            while (IsProcess(pid.Value, marker) && DateTime.UtcNow < killDeadline)
            {
                await Task.Delay(20, cancellationToken);
            }
        }

        DeleteQuietly(pidFile);
        return true;
    }

    private static void DeleteQuietly(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (DirectoryNotFoundException)
        {
            // its folder is gone already: nothing to delete
        }
    }

    public static string Tail(string file, int bytes = 600)
    {
        if (!File.Exists(file))
        {
            return "(no log)";
        }

        var text = File.ReadAllText(file);
        return text.Length <= bytes ? text.Trim() : text[^bytes..].Trim();
    }
}
