namespace Vcm.Cli.Infrastructure;

/// <summary>A failure to report as one plain sentence with an exit code.</summary>
public sealed class CliException(string sentence, int exitCode = ExitCodes.Failed) : Exception(sentence)
{
    public int ExitCode { get; } = exitCode;
}
