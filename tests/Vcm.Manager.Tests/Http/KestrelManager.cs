using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Vcm.Drivers.Images;
using Vcm.Drivers.Packages;
using Vcm.Manager.Configuration;
using Vcm.Manager.Hosting;
using Vcm.Testing;

namespace Vcm.Manager.Tests.Http;

/// <summary>
/// A manager on a real Kestrel server on a loopback port (its request limits, unlike the in-memory test server's, are
/// the ones users meet), controllers off, no hosts.
/// </summary>
internal sealed class KestrelManager : IAsyncDisposable
{
    private readonly TestDatabase _database;
    private readonly TempDirectory _data;
    private readonly ManagerApp _manager;

    private KestrelManager(TestDatabase database, TempDirectory data, ManagerApp manager, string url, LogCollector logs)
    {
        _database = database;
        _data = data;
        _manager = manager;
        Url = url;
        Logs = logs;
        // a request that expects 100-continue waits for the manager's answer before sending its body — on a loaded
        // machine longer than the default second, after which the client would send the body into a closed socket
        Anonymous = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) }) { BaseAddress = new Uri(url) };
        Admin = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) }) { BaseAddress = new Uri(url) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", manager.AdminToken);
    }

    /// <summary>The manager's URL: what it listens on and advertises.</summary>
    public string Url { get; }

    public LogCollector Logs { get; }

    /// <summary>The manager's data folder (its image store is images/ in it).</summary>
    public string DataDirectory => _data.Path;

    public HttpClient Anonymous { get; }

    public HttpClient Admin { get; }

    public static async Task<KestrelManager> StartAsync(IImageLayers? imageLayers = null, IPackageArchive? packageArchive = null)
    {
        var database = await TestDatabase.CreateAsync(TestDatabase.FromEnvironment(), migrate: false);
        var data = new TempDirectory("vcm-kestrel");
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var logs = new LogCollector();
        try
        {
            var manager = await ManagerServer.BuildAsync(
                new ManagerOptions
                {
                    DataDirectory = data.Path,
                    Store = database.Options,
                    Listen = url,
                    Controllers = new ControllerOptions { Enabled = false },
                },
                CancellationToken.None,
                configure: b => b.Logging.AddProvider(logs),
                imageLayers: imageLayers,
                packageArchive: packageArchive);
            await manager.App.StartAsync();
            return new KestrelManager(database, data, manager, url, logs);
        }
        catch
        {
            await database.DisposeAsync();
            data.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Anonymous.Dispose();
        Admin.Dispose();
        await _manager.App.StopAsync();
        await _manager.DisposeAsync();
        await _database.DisposeAsync();
        _data.Dispose();
    }
}
