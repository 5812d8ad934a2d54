namespace Vcm.Drivers.Processes;

/// <summary>The one way vcm runs external programs.</summary>
public interface IProcessRunner
{
    /// <summary>
    /// Runs the program to its end and captures its output. On timeout or cancellation the whole process tree is
    /// killed; a timeout throws <see cref="TimeoutException"/>, cancellation <see cref="OperationCanceledException"/>.
    /// A program that cannot be started throws <see cref="ProcessFailedException"/> with exit code 127.
    /// </summary>
    Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken);
}
