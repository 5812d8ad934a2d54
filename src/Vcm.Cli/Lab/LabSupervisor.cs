namespace Vcm.Cli.Lab;

/// <summary>
/// Keeps a lab's other sites' managers running while `vcm up` runs: every few seconds each one is ensured, and one
/// that is gone is started again. A stopped process (SIGSTOP, as tests do to make a peer unreachable) is alive and
/// is left as it is.
/// </summary>
public sealed class LabSupervisor : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LabSupervisor(IReadOnlyList<LabSiteManager> managers, string imageDirectory, TimeProvider? clock = null)
    {
        _loop = RunAsync(managers, imageDirectory, clock ?? TimeProvider.System, _stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private static async Task RunAsync(IReadOnlyList<LabSiteManager> managers, string imageDirectory, TimeProvider clock, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, clock, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            foreach (var manager in managers)
            {
                try
                {
                    if (manager.RunningPid is null)
                    {
                        var pid = await manager.EnsureAsync(imageDirectory, cancellationToken);
                        Console.Error.WriteLine($"vcm up: site {manager.Site.Name}'s manager was gone; started it again (pid {pid}).");
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is Vcm.Drivers.DriverException or Vcm.Drivers.Processes.ProcessFailedException or IOException)
                {
                    Console.Error.WriteLine($"vcm up: site {manager.Site.Name}'s manager could not be started again: {e.Message}");
                }
            }
        }
    }
}
