using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vcm.Manager.Configuration;
using Vcm.Store.Hosts;

namespace Vcm.Manager.Hosts;

/// <summary>Marks hosts down when their agent stops reporting; the next heartbeat brings them back.</summary>
public sealed partial class HostMonitor(HostStore hosts, ManagerOptions options, TimeProvider clock, ILogger<HostMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // at most an hour between checks (a timer cannot wait longer than ~49 days, and a very long HostDownAfter needs no more)
        var period = TimeSpan.FromTicks(Math.Min((options.HostDownAfter / 3).Ticks, TimeSpan.FromHours(1).Ticks));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, clock, stoppingToken);
                var stale = clock.GetUtcNow() - options.HostDownAfter;
                var down = await hosts.MarkStaleDownAsync(stale.ToUnixTimeMilliseconds(), stoppingToken);
                if (down > 0)
                {
                    LogDown(logger, down, options.HostDownAfter.TotalSeconds);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} hosts marked down: no heartbeat for {Seconds} s")]
    private static partial void LogDown(ILogger logger, int count, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "checking host heartbeats failed")]
    private static partial void LogFailed(ILogger logger, Exception e);
}
