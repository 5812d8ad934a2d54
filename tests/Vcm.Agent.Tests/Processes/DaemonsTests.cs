using Vcm.Agent.Tests.Linux.Micro;
using Vcm.Drivers;
using Vcm.Drivers.Processes;
using Vcm.Testing;
using Xunit;

namespace Vcm.Agent.Tests.Processes;

/// <summary>
/// Detached daemons on real processes, with their deadlines on a clock the test moves: stopping one returns only
/// once it has exited, SIGKILL comes when the grace has passed on the clock and not before, and waiting for one to be
/// ready ends when it exits or when the timeout has passed on the clock.
/// </summary>
public sealed class DaemonsTests : IDisposable
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(1);

    private readonly ChildProcesses _children = new();
    private readonly ManualClock _clock = new();
    private readonly Daemons _daemons;

    public DaemonsTests()
    {
        _daemons = new Daemons(ProcessRunner.Instance, _clock);
    }

    private string Marker => "vcm-test-" + _children.Tag;

    [Fact]
    public async Task Stop_DaemonIgnoresSigterm_KillsItOnlyOnceTheGracePassedOnTheClock()
    {
        var spec = Shell("trap 'echo term >> \"$1\"' TERM; echo up >> \"$1\"; while :; do sleep 0.1; done");
        var pid = await StartAsync(spec);

        var stop = _daemons.StopAsync(spec.PidFile, spec.Marker, Grace, CancellationToken.None);
        Assert.True(await _children.SaidAsync("notes", "term"), "the daemon never got SIGTERM");
        Assert.False(stop.IsCompleted, "stopping returned while the daemon ignores SIGTERM and the grace has not passed");
        Assert.True(ChildProcesses.Runs(pid), "the daemon was killed before the grace passed on the clock");
        _clock.Advance(Grace);

        Assert.True(await Returns(stop), "stopping does not return once the grace passed");
        Assert.True(await stop);
        Assert.False(ChildProcesses.Runs(pid), $"stopping returned while the daemon {pid} still runs");
        Assert.False(File.Exists(spec.PidFile));
    }

    [Fact]
    public async Task Stop_DaemonTakesItsTimeToExitOnSigterm_ReturnsOnlyOnceItExited()
    {
        var spec = Shell("trap 'echo term >> \"$1\"; sleep 1; echo bye >> \"$1\"; exit 0' TERM; echo up >> \"$1\"; while :; do sleep 0.1; done");
        var pid = await StartAsync(spec);

        var stopped = await _daemons.StopAsync(spec.PidFile, spec.Marker, Grace, CancellationToken.None).WaitAsync(Hang);

        Assert.True(stopped);
        Assert.False(ChildProcesses.Runs(pid), $"stopping returned while the daemon {pid} still runs");
        Assert.True(await _children.SaidAsync("notes", "bye"), "the daemon was killed instead of finishing its own exit");
    }

    [Fact]
    public async Task Stop_Cancelled_KillsTheDaemonAndThrowsOnlyOnceItIsGone()
    {
        var spec = Shell("trap 'echo term >> \"$1\"' TERM; echo up >> \"$1\"; while :; do sleep 0.1; done");
        var pid = await StartAsync(spec);
        using var cancel = new CancellationTokenSource();

        var stop = _daemons.StopAsync(spec.PidFile, spec.Marker, Grace, cancel.Token);
        Assert.True(await _children.SaidAsync("notes", "term"), "the daemon never got SIGTERM");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stop.WaitAsync(Hang));
        Assert.False(ChildProcesses.Runs(pid), $"stopping gave up while the daemon {pid} still runs");
    }

    [ToolsFact(false, "python3")]
    public async Task Stop_MainThreadExitedWhileOtherThreadsRun_StillStopsIt()
    {
        // The thread group leader calls pthread_exit: /proc shows it a zombie with an empty command line, yet the
        // process runs on (and, here, ignores SIGTERM) until its last thread ends.
        const string Code = "import ctypes, signal, threading, time\n"
            + "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
            + "threading.Thread(target=lambda: time.sleep(100000)).start()\n"
            + "ctypes.CDLL(None).pthread_exit(None)\n";
        var spec = new DaemonSpec("python3", ["-c", Code, Marker], _children.File("daemon.pid"), _children.File("daemon.log"), Marker);
        var pid = _children.Note(await _daemons.StartAsync(spec, CancellationToken.None));
        Assert.True(await LeaderExitedAsync(pid), "the daemon's main thread never exited");

        Assert.Equal(pid, Daemons.RunningPid(spec));
        var stop = _daemons.StopAsync(spec.PidFile, spec.Marker, Grace, CancellationToken.None);
        _clock.Advance(Grace);

        Assert.True(await stop.WaitAsync(Hang), "the daemon was not found running");
        Assert.False(ChildProcesses.Runs(pid), $"stopping returned while the daemon {pid} still runs");
    }

    [Fact]
    public async Task Stop_NoDaemon_IsAbsentAndRemovesAStalePidFile()
    {
        var pidFile = _children.File("stale.pid");
        await File.WriteAllTextAsync(pidFile, "999999999\n");

        Assert.False(await _daemons.StopAsync(pidFile, Marker, Grace, CancellationToken.None));
        Assert.False(File.Exists(pidFile));
    }

    [Fact]
    public async Task WaitUntilReady_NeverReady_FailsOnlyOnceTheTimeoutPassedOnTheClock()
    {
        var spec = Shell("echo up >> \"$1\"; while :; do sleep 0.1; done");
        var pid = await StartAsync(spec);
        var asked = 0;

        var wait = _daemons.WaitUntilReadyAsync(spec, pid, _ => Interlocked.Increment(ref asked) < 0, Grace, "the test daemon", "does not listen", CancellationToken.None);
        while (Volatile.Read(ref asked) < 3)
        {
            await Task.Delay(10);
        }

        Assert.False(wait.IsCompleted, "the wait ended before its timeout passed on the clock");
        _clock.Advance(Grace + TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<DriverException>(() => wait.WaitAsync(Hang));
        Assert.StartsWith("the test daemon does not listen after 30 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitUntilReady_DaemonExits_SaysItExitedAtStart()
    {
        var spec = Shell("echo up >> \"$1\"; while [ ! -e \"$1.go\" ]; do sleep 0.1; done");
        var pid = await StartAsync(spec);
        var wait = _daemons.WaitUntilReadyAsync(spec, pid, _ => false, Grace, "the test daemon", "does not listen", CancellationToken.None);

        await File.WriteAllTextAsync(_children.File("notes.go"), "");

        var error = await Assert.ThrowsAsync<DriverException>(() => wait.WaitAsync(Hang));
        Assert.StartsWith("the test daemon exited at start", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _children.Dispose();

    private static async Task<bool> Returns(Task task) => await Task.WhenAny(task, Task.Delay(Hang)) == task;

    /// <summary>A daemon running <c>sh -c SCRIPT MARKER NOTES</c>: the script writes what happens to it into NOTES.</summary>
    private DaemonSpec Shell(string script) =>
        new("sh", ["-c", script, Marker, _children.File("notes")], _children.File("daemon.pid"), _children.File("daemon.log"), Marker);

    /// <summary>Starts the daemon and waits until it says it is up.</summary>
    private async Task<int> StartAsync(DaemonSpec spec)
    {
        var pid = _children.Note(await _daemons.StartAsync(spec, CancellationToken.None));
        Assert.True(await _children.SaidAsync("notes", "up"), $"the daemon never came up: {Daemons.Tail(spec.LogFile)}");
        return pid;
    }

    private static async Task<bool> LeaderExitedAsync(int pid)
    {
        for (var i = 0; i < 600; i++)
        {
            var stat = await File.ReadAllTextAsync($"/proc/{pid}/stat");
            if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
