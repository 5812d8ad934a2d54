using Microsoft.Extensions.Hosting;

namespace Vcm.Cli.Commands.Processes;

/// <summary>
/// A host lifetime that leaves Ctrl-C and SIGTERM to the command: `vcm up` must release its clusters and take its
/// lab down while the manager still runs, so the web host must not stop itself on the signal.
/// </summary>
internal sealed class NoSignalLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
