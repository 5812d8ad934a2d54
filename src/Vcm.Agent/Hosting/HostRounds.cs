using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Vcm.Agent.Hosting;

/// <summary>
/// A loop the agent runs between the manager's visits: every period, one round over its hosts, each asked to do its
/// part (<see cref="VisitAsync"/>); what a host did is logged, and a failing host is logged and does not stop the others.
/// </summary>
public abstract partial class HostRounds<THost>(IReadOnlyList<THost> hosts, TimeSpan period, TimeProvider clock, ILogger logger) : BackgroundService
{
    /// <summary>One host's part of a round; answers what it did.</summary>
    protected abstract Task<IReadOnlyList<string>> VisitAsync(THost host, CancellationToken cancellationToken);

    protected abstract string NameOf(THost host);

    /// <summary>What a round does, for the log when it fails ("restarting dead programs").</summary>
    protected abstract string Doing { get; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            await RoundAsync(stoppingToken);
        }
    }

    /// <summary>One round over the hosts.</summary>
    protected async Task RoundAsync(CancellationToken cancellationToken)
    {
        foreach (var host in hosts)
        {
            try
            {
                foreach (var done in await VisitAsync(host, cancellationToken))
                {
                    LogDone(logger, NameOf(host), done);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(logger, NameOf(host), Doing, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "host {Host}: {Done}")]
    private static partial void LogDone(ILogger logger, string host, string done);

    [LoggerMessage(Level = LogLevel.Warning, Message = "host {Host}: {Doing} failed")]
    private static partial void LogFailed(ILogger logger, string host, string doing, Exception e);
}
