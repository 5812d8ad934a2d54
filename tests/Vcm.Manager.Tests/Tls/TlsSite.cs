using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vcm.Agent.Hosting;
using Vcm.Agent.Sim;
using Vcm.Api;
using Vcm.Drivers.Tls;
using Vcm.Manager.Configuration;
using Vcm.Manager.Hosting;
using Vcm.Manager.Tls;
using Vcm.Testing;

namespace Vcm.Manager.Tests.Tls;

/// <summary>
/// A manager serving HTTPS on loopback with its real agent client (mutual TLS to agents), and real agents over simulated
/// hosts that join it with a join token: the whole TLS path of a site, in one process, on real sockets.
/// </summary>
public sealed class TlsSite : IAsyncDisposable
{
    private readonly TestDatabase _database;
    private readonly List<WebApplication> _agents = [];
    private readonly List<LogCollector> _agentLogs = [];

    private TlsSite(TestDatabase database, TempDirectory data, ManagerApp manager, string url, LogCollector logs)
    {
        _database = database;
        Data = data;
        Manager = manager;
        Url = url;
        Logs = logs;
        Client = new VcmClient(AdminHttp());
    }

    public TempDirectory Data { get; }

    public ManagerApp Manager { get; }

    public string Url { get; }

    public LogCollector Logs { get; }

    public VcmClient Client { get; }

    public SiteAuthority Authority => Manager.App.Services.GetRequiredService<SiteAuthority>();

    public ManagerTls Tls => Manager.App.Services.GetRequiredService<ManagerTls>();

    public Store.Database Database => _database.Database;

    public static async Task<TlsSite> StartAsync(string siteName = "tls", TimeSpan? certificateLifetime = null)
    {
        var database = await TestDatabase.CreateAsync(TestDatabase.FromEnvironment(), migrate: false);
        var data = new TempDirectory("vcm-tls");
        var options = new ManagerOptions
        {
            DataDirectory = data.Combine("manager"),
            Store = database.Options,
            SiteName = siteName,
            Listen = "https://127.0.0.1:0",
            CertificateLifetime = certificateLifetime ?? TimeSpan.FromDays(30),
            CertificateCheckInterval = TimeSpan.FromSeconds(1),
            Controllers = new ControllerOptions
            {
                PollInterval = TimeSpan.FromMilliseconds(25),
                RetryBase = TimeSpan.FromMilliseconds(20),
                RetryMax = TimeSpan.FromMilliseconds(500),
                ReadyRecheck = TimeSpan.FromMilliseconds(200),
            },
        };
        var logs = new LogCollector();
        var manager = await ManagerServer.BuildAsync(options, CancellationToken.None, configure: b => b.Logging.AddProvider(logs), imageLayers: new SimImageLayers());
        await manager.App.StartAsync();
        var url = manager.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TlsSite(database, data, manager, url, logs);
    }

    /// <summary>A client that trusts only this site's CA and expects its manager's certificate.</summary>
    public HttpClient AdminHttp(string? token = null)
    {
        var credentials = new TlsCredentials(new TlsIdentity(null, Authority.Certificate));
        var http = new HttpClient(credentials.Handler(CertificateRole.Manager, presentCertificate: false)) { BaseAddress = new Uri(Url) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Manager.AdminToken);
        return http;
    }

    /// <summary>Starts an agent serving <paramref name="hosts"/> simulated hosts over HTTPS, joining with <paramref name="joinToken"/>.</summary>
    public async Task<StartedAgent> StartAgentAsync(string prefix, string joinToken, int hosts = 2, TimeSpan? heartbeat = null)
    {
        var folder = Data.Combine("agent-" + prefix);
        var logs = new LogCollector();
        var options = new AgentOptions
        {
            Listen = "https://127.0.0.1:0",
            DataDirectory = folder,
            JoinUrl = Url,
            JoinToken = joinToken,
            HeartbeatInterval = heartbeat ?? TimeSpan.FromMilliseconds(500),
        };
        var app = AgentServer.Build(
            options, AgentHosts.Simulated(hosts, prefix, new SimOptions { StateDirectory = Path.Combine(folder, "sim") }), l => l.AddProvider(logs));
        await app.StartAsync();
        _agents.Add(app);
        _agentLogs.Add(logs);
        return new StartedAgent(app, AgentServer.ListeningUrl(app), folder, AgentIdentity.LoadOrCreate(folder), logs);
    }

    public async Task WaitForHostsAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await Client.ListHostsAsync(CancellationToken.None)).Count(h => h.State == "ready") < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"{count} hosts did not join over TLS (hosts: {string.Join(", ", (await Client.ListHostsAsync(CancellationToken.None)).Select(h => h.Name + " " + h.State))}); manager log: {string.Join(" | ", Logs.Entries.Select(e => e.Message))}; "
                    + $"agents' logs: {string.Join(" | ", _agentLogs.SelectMany(l => l.Entries).Select(e => e.Message + " " + e.Exception?.Message))}");
            }

            await Task.Delay(50);
        }
    }

    public static async Task<string> WaitForLogAsync(LogCollector logs, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (logs.Entries.FirstOrDefault(e => e.Message.Contains(text, StringComparison.Ordinal)) is { } entry)
            {
                return entry.Message;
            }

            Xunit.Assert.True(DateTime.UtcNow < deadline, $"no log line with '{text}'; the log: {string.Join(" | ", logs.Entries.Select(e => e.Message))}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.StopAsync();
            await agent.DisposeAsync();
        }

        Client.Dispose();
        await Manager.App.StopAsync();
        await Manager.DisposeAsync();
        await _database.DisposeAsync();
        Data.Dispose();
    }

    public sealed record StartedAgent(WebApplication App, string Url, string Folder, AgentIdentity Identity, LogCollector Logs);
}
