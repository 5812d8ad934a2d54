using System.Globalization;

namespace Vcm.Drivers.Processes;

/// <summary>
/// Starts, finds and stops detached daemons by PID file. A daemon is started through setsid so it survives the
/// agent (a killed agent must not take its VMs and gateways with it), with stdin closed and its output appended to
/// its log file. Only a process whose command line holds the spec's marker is ever signalled, and once found it is
/// followed by its start time, so a PID taken by another process later is never mistaken for it. Deadlines are read
/// from <paramref name="clock"/>; the polls between them are real pauses (they wait for real processes).
/// </summary>
public sealed class Daemons(IProcessRunner runner, TimeProvider? clock = null)
{
    /// <summary>How long a started daemon may take to write its PID file.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long a daemon may take to die after SIGKILL before stopping it counts as failed.</summary>
    public static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

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

        var deadline = _clock.GetUtcNow() + StartTimeout;
        while (_clock.GetUtcNow() < deadline)
        {
            if (RunningPid(spec) is { } pid)
            {
                return pid;
            }

            await Task.Delay(Poll, cancellationToken);
        }

        throw new DriverException($"{Path.GetFileName(spec.FileName)} did not start; see {spec.LogFile}: {Tail(spec.LogFile)}");
    }

    /// <summary>
    /// Waits until <paramref name="ready"/> says the started daemon (PID <paramref name="pid"/>) is ready, for instance
    /// listening. Throws a <see cref="DriverException"/> that names <paramref name="what"/> when it exits first, or
    /// says it "<paramref name="unready"/>" (e.g. "does not listen on …") when <paramref name="timeout"/> passed.
    /// </summary>
    public async Task WaitUntilReadyAsync(
        DaemonSpec spec, int pid, Func<int, bool> ready, TimeSpan timeout, string what, string unready, CancellationToken cancellationToken)
    {
        var deadline = _clock.GetUtcNow() + timeout;
        while (!ready(pid))
        {
            if (!IsProcess(pid, spec.Marker))
            {
                throw new DriverException($"{what} exited at start; see {spec.LogFile}: {Tail(spec.LogFile)}");
            }

            if (_clock.GetUtcNow() > deadline)
            {
                throw new DriverException($"{what} {unready} after {timeout.TotalSeconds:0} s; see {spec.LogFile}: {Tail(spec.LogFile)}");
            }

            await Task.Delay(Poll, cancellationToken);
        }
    }

    /// <summary>
    /// Stops the daemon and returns once it has exited: SIGTERM, then SIGKILL after <paramref name="grace"/>; removes
    /// its PID file. True if it was running; absent is fine. Cancellation sends SIGKILL at once and still waits for the
    /// exit before it throws. A daemon that outlives SIGKILL by <see cref="KillTimeout"/> (stuck in the kernel) is a
    /// <see cref="DriverException"/>, and its PID file stays.
    /// </summary>
    public async Task<bool> StopAsync(string pidFile, string marker, TimeSpan grace, CancellationToken cancellationToken)
    {
        if (Find(pidFile, marker) is not { } daemon)
        {
            DeleteQuietly(pidFile);
            return false;
        }

        Signals.Terminate(daemon.Pid);
        try
        {
            await WaitForExitAsync(daemon, grace, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await KillAsync(daemon);
            throw;
        }

        await KillAsync(daemon);
        DeleteQuietly(pidFile);
        return true;
    }

    /// <summary>The daemon's PID if its PID file names a live process whose command line holds the marker.</summary>
    public static int? RunningPid(DaemonSpec spec) => RunningPid(spec.PidFile, spec.Marker);

    public static int? RunningPid(string pidFile, string marker) => Find(pidFile, marker)?.Pid;

    /// <summary>True when PID is alive (it has not exited) and its command line holds the marker.</summary>
    public static bool IsProcess(int pid, string marker) =>
        ProcessIdentity.Of(pid) is not null && ProcessIdentity.CommandLine(pid).Contains(marker, StringComparison.Ordinal);

    public static string Tail(string file, int bytes = 600)
    {
        if (!File.Exists(file))
        {
            return "(no log)";
        }

        var text = File.ReadAllText(file);
        return text.Length <= bytes ? text.Trim() : text[^bytes..].Trim();
    }

    private static ProcessIdentity? Find(string pidFile, string marker)
    {
        if (!File.Exists(pidFile))
        {
            return null;
        }

        if (!int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }

        // the identity first, then the marker: a PID reused in between fails one of the two
        return ProcessIdentity.Of(pid) is { } identity && IsProcess(pid, marker) ? identity : null;
    }

    /// <summary>SIGKILL unless it has exited, then waits until it has.</summary>
    private async Task KillAsync(ProcessIdentity daemon)
    {
        if (!daemon.IsRunning)
        {
            return;
        }

        Signals.ForceKill(daemon.Pid);
        await WaitForExitAsync(daemon, KillTimeout, CancellationToken.None);
        if (daemon.IsRunning)
        {
            throw new DriverException($"process {daemon.Pid} did not exit within {KillTimeout.TotalSeconds:0} s of SIGKILL");
        }
    }

    /// <summary>Waits until the process has exited or <paramref name="timeout"/> passed on the clock.</summary>
    private async Task WaitForExitAsync(ProcessIdentity daemon, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = _clock.GetUtcNow() + timeout;
        while (daemon.IsRunning && _clock.GetUtcNow() < deadline)
        {
            await Task.Delay(Poll, cancellationToken);
        }
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
}
