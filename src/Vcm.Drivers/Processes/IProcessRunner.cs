namespace Vcm.Drivers.Processes;

/// <summary>The one way vcm runs external programs.</summary>
public interface IProcessRunner
{
    /// <summary>
    /// Runs the program to its end and captures its output. Its timeout runs from the start, over writing
    /// <see cref="ProcessSpec.StandardInput"/> as well as the wait for its exit. On timeout, cancellation or any other
    /// failure after the start, the whole process tree is killed and the program reaped before this returns: a timeout
    /// throws <see cref="TimeoutException"/>, cancellation <see cref="OperationCanceledException"/>. A program that
    /// exits (or closes its input) before it read all of its standard input is not an error: its exit code tells.
    /// A program that cannot be started throws <see cref="ProcessFailedException"/> with exit code 127.
    /// </summary>
    Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken);

    /// <summary>
    /// Runs a program attached to this process's terminal (standard input, output and error are inherited), for
    /// interactive commands such as ssh; returns its exit code. Cancellation kills its tree and reaps it.
    /// </summary>
    Task<int> RunAttachedAsync(ProcessSpec spec, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a long-running program. Its output lines go to <paramref name="output"/> (standard error lines too);
    /// with no callback they are discarded. Stop it with <see cref="IRunningProcess.StopAsync"/>.
    /// </summary>
    IRunningProcess Start(ProcessSpec spec, Action<string>? output = null);
}
