namespace Vcm.Drivers.Processes;

/// <summary>A long-running program started by <see cref="IProcessRunner.Start"/>; stopped by PID, never by name.</summary>
public interface IRunningProcess : IDisposable
{
    int Pid { get; }

    ProcessSpec Spec { get; }

    bool HasExited { get; }

    int? ExitCode { get; }

    Task WaitForExitAsync(CancellationToken cancellationToken);

    /// <summary>Asks the process to stop (SIGTERM), waits up to <paramref name="grace"/>, then kills its tree.</summary>
    Task StopAsync(TimeSpan grace);

    /// <summary>Kills the process and its children at once.</summary>
    void Kill();
}
