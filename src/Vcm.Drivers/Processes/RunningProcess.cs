using System.Diagnostics;

namespace Vcm.Drivers.Processes;

/// <summary>A long-running program started by <see cref="ProcessRunner.Start"/>; stopped by PID, never by name.</summary>
public sealed class RunningProcess : IRunningProcess
{
    private readonly Process _process;

    internal RunningProcess(Process process, ProcessSpec spec)
    {
        _process = process;
        Spec = spec;
        Pid = process.Id;
    }

    public int Pid { get; }

    public ProcessSpec Spec { get; }

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = Signals.Terminate(Pid);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public void Kill() => ProcessRunner.KillAndReap(_process);

    public void Dispose() => _process.Dispose();
}
