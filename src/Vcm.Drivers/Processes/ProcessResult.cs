namespace Vcm.Drivers.Processes;

/// <summary>How a program ended and what it printed.</summary>
public sealed record ProcessResult(ProcessSpec Spec, int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Throws <see cref="ProcessFailedException"/> unless the exit code was 0.</summary>
    public ProcessResult EnsureSuccess() => Succeeded ? this : throw new ProcessFailedException(this);
}
