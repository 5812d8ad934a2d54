using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vcm.Manager.Configuration;
using Vcm.Store.Hosts;

namespace Vcm.Manager.Hosts;

/// <summary>
/// Marks hosts down when their agent stops reporting (the next heartbeat brings them back), then has
/// <see cref="HostRecovery"/> fence and recover the lost ones.
/// </summary>
public sealed partial class HostMonitor(HostStore hosts, HostRecovery recovery, ManagerOptions options, TimeProvider clock, ILogger<HostMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // at most an hour between checks (a timer cannot wait longer than ~49 days, and a very long HostDownAfter needs no more)
        var period = TimeSpan.FromTicks(Math.Min((options.HostDownAfter / 3).Ticks, TimeSpan.FromHours(1).Ticks));
        var started = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, clock, stoppingToken);
                if (clock.GetUtcNow() - started < options.HostDownAfter + options.HostStartGrace)
                {
                    // Silence counts only while this manager listens: after a restart, agents get the limit and
                    // HostStartGrace more to report again (a restarted agent may have to join anew) before any host
                    // is marked down — and fenced.
                    continue;
                }

                var stale = clock.GetUtcNow() - options.HostDownAfter;
                var down = await hosts.MarkStaleDownAsync(stale.ToUnixTimeMilliseconds(), stoppingToken);
                if (down > 0)
                {
                    LogDown(logger, down, options.HostDownAfter.TotalSeconds);
                }

                await recovery.CheckAsync(stoppingToken);
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
