using Vcm.Drivers.Processes;

namespace Vcm.Manager.Hosts;

/// <summary>
/// The provider's fence command (`--fence-command PATH`), run through the process runner with VCM_HOST,
/// VCM_HOST_ADDRESS and VCM_SITE in its environment and no arguments: exit 0 means fenced; any other exit, a
/// timeout (its process tree killed) or a command that cannot start means not fenced.
/// </summary>
public sealed class CommandFence(string command, TimeSpan timeout, IProcessRunner runner) : IHostFence
{
    private const int MaxOutput = 300;

    public async Task<FenceResult> FenceAsync(FenceTarget target, CancellationToken cancellationToken)
    {
        var spec = new ProcessSpec(command, [])
        {
            Environment = new Dictionary<string, string?>
            {
                ["VCM_HOST"] = target.Host,
                ["VCM_HOST_ADDRESS"] = target.Address,
                ["VCM_SITE"] = target.Site,
            },
            Timeout = timeout,
        };
        ProcessResult result;
        try
        {
            result = await runner.RunAsync(spec, cancellationToken);
        }
        catch (TimeoutException)
        {
            return FenceResult.NotFenced($"{command} did not finish within {timeout.TotalSeconds:0.#} s and was ended");
        }
        catch (ProcessFailedException e)
        {
            return FenceResult.NotFenced($"{command} did not run: {e.Message}");
        }

        var said = Said(result);
        return result.ExitCode == 0
            ? FenceResult.Done($"{command} fenced {target.Host}{said}")
            : FenceResult.NotFenced($"{command} exited {result.ExitCode}{said}");
    }

    private static string Said(ProcessResult result)
    {
        var text = (result.StandardError.Trim().Length > 0 ? result.StandardError : result.StandardOutput).Trim();
        return text.Length == 0 ? "" : ": " + (text.Length > MaxOutput ? text[..MaxOutput] + "…" : text);
    }
}
