using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Vcm.Drivers.Packages;

namespace Vcm.Agent.Linux.Packages;

/// <summary>Runs a host's <see cref="PackageSocketServer"/> for as long as the agent runs.</summary>
public sealed class PackageSocketService(string socketPath, IPackageArchive packages) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _app = PackageSocketServer.Build(socketPath, packages);
        await _app.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
