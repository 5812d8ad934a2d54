using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Vcm.Agent.Hosting;

/// <summary>
/// Every <see cref="Period"/>, asks each supervised host to restart what died (<see cref="ISupervisedHost.ReviveAsync"/>),
/// so a crashed tunnel comes back within seconds rather than at the manager's next ensure.
/// </summary>
public sealed partial class DaemonSupervisor(IReadOnlyList<ISupervisedHost> hosts, TimeProvider clock, ILogger<DaemonSupervisor> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Period, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            await ReviveAllAsync(stoppingToken);
        }
    }

    /// <summary>One round over the hosts; a failing host is logged and does not stop the others.</summary>
    public async Task ReviveAllAsync(CancellationToken cancellationToken)
    {
        foreach (var host in hosts)
        {
            try
            {
                foreach (var revived in await host.ReviveAsync(cancellationToken))
                {
                    LogRevived(logger, host.HostName, revived);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(logger, host.HostName, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "host {Host}: {Name} had died; started it again")]
    private static partial void LogRevived(ILogger logger, string host, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "host {Host}: restarting dead programs failed")]
    private static partial void LogFailed(ILogger logger, string host, Exception e);
}
