using Vcm.Drivers;
using Vcm.Drivers.Processes;

namespace Vcm.Agent.Linux;

/// <summary>
/// Runs programs "on the host": inside <see cref="LinuxHostContext.Netns"/> when one is set (ip netns exec, ip -n),
/// else in the agent's own namespace. Results are returned as they are; <see cref="Check"/> turns a failure into a
/// <see cref="DriverException"/> that names what was being done.
/// </summary>
internal sealed class HostCommands(LinuxHostContext context)
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public IProcessRunner Runner => context.Runner;

    /// <summary>Runs <paramref name="file"/> in the host's namespace.</summary>
    public Task<ProcessResult> RunAsync(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var spec = context.Netns is null
            ? new ProcessSpec(file, arguments)
            : new ProcessSpec("ip", ["netns", "exec", context.Netns, file, .. arguments]);
        return RunSpecAsync(spec with { Timeout = timeout ?? DefaultTimeout }, cancellationToken);
    }

    /// <summary>Runs `ip` against the host's namespace (ip -n NS …).</summary>
    public Task<ProcessResult> IpAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> args = context.Netns is null ? arguments : ["-n", context.Netns, .. arguments];
        return RunSpecAsync(new ProcessSpec("ip", args) { Timeout = DefaultTimeout }, cancellationToken);
    }

    /// <summary>Runs a program in the agent's own namespace (file-only tools such as qemu-img).</summary>
    public Task<ProcessResult> RunLocalAsync(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        RunSpecAsync(new ProcessSpec(file, arguments) { Timeout = timeout ?? DefaultTimeout }, cancellationToken);

    /// <summary>True when the link exists in the host's namespace.</summary>
    public async Task<bool> LinkExistsAsync(string name, CancellationToken cancellationToken) =>
        (await IpAsync(["link", "show", "dev", name], cancellationToken)).Succeeded;

    /// <summary>Throws a <see cref="DriverException"/> saying what failed and what the program said, unless it succeeded.</summary>
    public static ProcessResult Check(ProcessResult result, string what, bool terminal = false)
    {
        if (result.Succeeded)
        {
            return result;
        }

        var said = (result.StandardError.Trim().Length > 0 ? result.StandardError : result.StandardOutput).Trim();
        if (said.Length > 600)
        {
            said = said[..600] + "…";
        }

        throw new DriverException($"{what} failed: {said} ({result.Spec.CommandLine}, exit {result.ExitCode})", terminal);
    }

    private async Task<ProcessResult> RunSpecAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        try
        {
            return await context.Runner.RunAsync(spec, cancellationToken);
        }
        catch (ProcessFailedException e)
        {
            // The runner throws only when the program cannot be started at all (exit 127).
            throw new DriverException($"cannot run {spec.FileName}: {e.Message}", e);
        }
        catch (TimeoutException e)
        {
            throw new DriverException(e.Message, e);
        }
    }
}
