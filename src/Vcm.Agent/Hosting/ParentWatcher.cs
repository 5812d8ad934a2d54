using Microsoft.Extensions.Hosting;

namespace Vcm.Agent.Hosting;

/// <summary>Stops the agent when the process that started it is gone.</summary>
internal sealed class ParentWatcher(int pid, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!Directory.Exists($"/proc/{pid}"))
            {
                lifetime.StopApplication();
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
        }
    }
}
