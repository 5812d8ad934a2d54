namespace Vcm.Drivers.Processes;

/// <summary>A program exited with a non-zero code; the message holds the command and what it said.</summary>
public sealed class ProcessFailedException(ProcessResult result)
    : Exception($"'{result.Spec.CommandLine}' exited with {result.ExitCode}: {Summary(result)}")
{
    public ProcessResult Result { get; } = result;

    private static string Summary(ProcessResult result)
    {
        var text = (result.StandardError.Trim().Length > 0 ? result.StandardError : result.StandardOutput).Trim();
        return text.Length <= 400 ? text : text[..400] + "…";
    }
}
