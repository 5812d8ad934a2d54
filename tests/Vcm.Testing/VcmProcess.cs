using System.Collections.Concurrent;
using Vcm.Drivers.Processes;


namespace Vcm.Testing;

/// <summary>A long-running `vcm` process (up, manager, agent) started by a test; stopped or killed by its PID.</summary>
public sealed class VcmProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _lines;
    private readonly IRunningProcess _process;

    private VcmProcess(IRunningProcess process, ConcurrentQueue<string> lines)
    {
        _process = process;
        _lines = lines;
    }

    public int Pid => _process.Pid;

    public bool HasExited => _process.HasExited;

    public string Log => string.Join('\n', _lines);

    public static VcmProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var lines = new ConcurrentQueue<string>();
        var process = ProcessRunner.Instance.Start(new ProcessSpec(RepoPaths.Cli, args) { Environment = environment }, lines.Enqueue);
        return new VcmProcess(process, lines);
    }

    /// <summary>Waits for a line containing the text; fails with the output so far if the process exits or time runs out.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            var line = _lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"vcm (pid {Pid}) exited with {_process.ExitCode} before printing '{text}':\n{Log}");
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"vcm (pid {Pid}) did not print '{text}':\n{Log}");
    }

    /// <summary>Waits until the process exits by itself (failing with its output after <paramref name="within"/>); its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"vcm (pid {Pid}) did not exit within {within}:\n{Log}");
        }

        return _process.ExitCode ?? -1;
    }

    /// <summary>SIGKILL: the process gets no chance to clean up.</summary>
    public async Task KillAsync()
    {
        Signals.ForceKill(Pid);
        await _process.WaitForExitAsync(CancellationToken.None);
    }

    public Task StopAsync() => _process.StopAsync(TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }
}
