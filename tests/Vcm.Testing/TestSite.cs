using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vcm.Agent.Hosting;
using Vcm.Agent.Sim;
using Vcm.Api;
using Vcm.Drivers.Rpc;
using Vcm.Manager.Controllers;
using Vcm.Manager.Configuration;
using Vcm.Manager.Hosting;
using Vcm.Store;
using Vcm.Store.Hosts;

namespace Vcm.Testing;

/// <summary>
/// A manager in this process (API on an in-memory test server) with simulated hosts behind an in-process agent
/// client, on a fresh database. With a <see cref="ManualClock"/> the controllers stay off and tests drive the
/// reconciler themselves. With <c>kestrel</c> the API is served by the real Kestrel server on a loopback port
/// (its limits and its own error answers apply), and the clients talk HTTP to it.
/// </summary>
public sealed class TestSite : IAsyncDisposable
{
    private readonly TempDirectory _data;

    private readonly Uri? _kestrelUrl;

    private TestSite(TestDatabase database, TempDirectory data, ManagerApp manager, InProcessAgentClient agent, TimeProvider clock, Uri? kestrelUrl)
    {
        TestDatabase = database;
        _data = data;
        Manager = manager;
        Agent = agent;
        Clock = clock;
        _kestrelUrl = kestrelUrl;
        var http = NewHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", manager.AdminToken);
        Client = new VcmClient(http);
        Anonymous = NewHttpClient();
    }

    public TestDatabase TestDatabase { get; }

    public Database Database => TestDatabase.Database;

    public ManagerApp Manager { get; }

    public InProcessAgentClient Agent { get; }

    public TimeProvider Clock { get; }

    /// <summary>What the manager logged.</summary>
    public LogCollector Logs { get; private init; } = new();

    /// <summary>An API client with the admin token.</summary>
    public VcmClient Client { get; }

    /// <summary>An HTTP client with no token.</summary>
    public HttpClient Anonymous { get; }

    /// <summary>An API client signing in with <paramref name="token"/>.</summary>
    public VcmClient ClientWith(string token)
    {
        var http = NewHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new VcmClient(http);
    }

    /// <summary>A new HTTP client for the API with no token.</summary>
    public HttpClient NewHttpClient() => _kestrelUrl is { } url ? new HttpClient { BaseAddress = url } : Manager.App.GetTestClient();

    public ClusterReconciler Reconciler => Manager.App.Services.GetRequiredService<ClusterReconciler>();

    public SimHost Host(string name) => (SimHost)Agent.Hosts.ByName[name];

    /// <summary>The site's in-process agent (as <see cref="StartAsync"/> joined it) and its key.</summary>
    public const string AgentId = "agent-in-process";

    public const string AgentKey = "in-process-key-0123456789";

    /// <summary>Sends a heartbeat as the site's agent: its hosts, and the VMs' use given.</summary>
    public async Task<HttpResponseMessage> HeartbeatAsync(IReadOnlyList<VmUsageReport> usage)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, AgentPaths.Heartbeat)
        {
            Content = System.Net.Http.Json.JsonContent.Create(new AgentHeartbeat(AgentId, "http://in-process", Agent.Hosts.Facts, usage), options: AgentJson.Options),
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AgentKey);
        return await Anonymous.SendAsync(message);
    }

    public static async Task<TestSite> StartAsync(
        StoreProvider provider,
        int hosts = 4,
        SimOptions? sim = null,
        TimeProvider? clock = null,
        ControllerOptions? controllers = null,
        string siteName = "local",
        Manager.Peers.PeerTransport? peers = null,
        bool kestrel = false,
        OidcOptions? oidc = null,
        int wanPaths = 1,
        Manager.Hosts.IHostFence? fence = null,
        int migrationsPerHost = 1)
    {
        var database = await TestDatabase.CreateAsync(provider, migrate: false);
        var data = new TempDirectory("vcm-site");
        clock ??= TimeProvider.System;
        var agent = new InProcessAgentClient(AgentHosts.Simulated(hosts, "sim", (sim ?? new SimOptions()) with { Clock = clock }));
        var options = new ManagerOptions
        {
            DataDirectory = data.Path,
            Store = database.Options,
            SiteName = siteName,
            AdvertiseUrl = UrlOf(siteName),
            Listen = kestrel ? "http://127.0.0.1:0" : new ManagerOptions { DataDirectory = "" }.Listen,
            HostDownAfter = TimeSpan.FromDays(3650),
            MigrationsPerHost = migrationsPerHost,
            Oidc = oidc,
            Controllers = controllers ?? new ControllerOptions
            {
                Enabled = clock is not ManualClock,
                PollInterval = TimeSpan.FromMilliseconds(25),
                RetryBase = TimeSpan.FromMilliseconds(20),
                RetryMax = TimeSpan.FromMilliseconds(500),
                ReadyRecheck = TimeSpan.FromMilliseconds(200),
            },
        };
        var logs = new LogCollector();
        var manager = await ManagerServer.BuildAsync(
            options, CancellationToken.None, clock, agent, b =>
            {
                if (!kestrel)
                {
                    b.WebHost.UseTestServer();
                }

                b.Logging.AddProvider(logs);
                if (fence is not null)
                {
                    b.Services.AddSingleton(fence);
                }
            },
            peers,
            new Vcm.Agent.Sim.SimImageLayers());
        await manager.App.StartAsync();
        // Simulated gateway hosts get a WAN address from TEST-NET-1 (documentation addresses; nothing is sent there), and
        // with several WAN paths one per path from TEST-NET-2, -3.
        string[] nets = ["192.0.2", "198.51.100", "203.0.113"];
        var reports = agent.Hosts.Facts.Select((f, i) => new HostStore.HostReport(
            f.Name, Vcm.Manager.Api.Views.RolesFlags(f.Roles), f.Cpus, f.MemoryMb, f.DiskMb, f.Kvm, f.Address, f.Driver,
            f.Roles.Contains("gateway") ? $"192.0.2.{i + 1}" : null,
            f.Roles.Contains("gateway") && wanPaths > 1 ? string.Join(',', nets.Take(wanPaths).Select(n => $"{n}.{i + 1}")) : null)).ToList();
        await new HostStore(database.Database).JoinAsync(
            manager.Site.Id, AgentId, AgentKey, "http://in-process", reports, clock.GetUtcNow().ToUnixTimeMilliseconds(), CancellationToken.None);
        var url = kestrel
            ? new Uri(manager.App.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First())
            : null;
        return new TestSite(database, data, manager, agent, clock, url) { Logs = logs };
    }

    /// <summary>Asserts that no simulated host of the site holds anything of any cluster.</summary>
    public void AssertHostsEmpty() => Xunit.Assert.All(Agent.Hosts.ByName.Values.Cast<SimHost>(), h =>
    {
        var inventory = h.Inventory();
        Xunit.Assert.Empty(inventory.Vms);
        Xunit.Assert.Empty(inventory.Disks);
        Xunit.Assert.Empty(inventory.Segments);
        Xunit.Assert.Empty(inventory.Gateways);
        Xunit.Assert.Empty(inventory.Volumes);
        Xunit.Assert.Empty(inventory.Vpns);
        Xunit.Assert.Empty(h.Relays());
    });

    /// <summary>The URL a test site's manager advertises to peers (a name only a <see cref="TestPeers"/> transport resolves).</summary>
    public static string UrlOf(string siteName) => $"http://{siteName}.sites.test";

    /// <summary>Polls until the cluster is in the phase (real clock only), failing after a generous limit.</summary>
    public async Task<ClusterView> WaitForPhaseAsync(string name, string phase, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        ClusterView view;
        do
        {
            view = await Client.GetClusterAsync(name, nodes: false, CancellationToken.None);
            if (view.Phase == phase)
            {
                return view;
            }

            await Task.Delay(20);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"cluster {name} is {view.Phase} ({view.Reason}), not {phase}");
    }

    /// <summary>Reconciles the cluster until it is in the phase (controllers off, a manual clock), letting the clock catch up with short requeues.</summary>
    public async Task<Manager.Controllers.ReconcileResult> ReconcileUntilAsync(ManualClock clock, string id, string name, string phase)
    {
        for (var i = 0; i < 100; i++)
        {
            var result = await Reconciler.ReconcileAsync(id, CancellationToken.None);
            if ((await Client.GetClusterAsync(name, nodes: false, CancellationToken.None)).Phase == phase)
            {
                return result;
            }

            if (result.RequeueAfter is { } after && after > TimeSpan.Zero && after < TimeSpan.FromMinutes(1))
            {
                clock.Advance(after);
            }
        }

        throw new Xunit.Sdk.XunitException($"{name} never became {phase}; it is {(await Client.GetClusterAsync(name, nodes: false, CancellationToken.None)).Phase}");
    }

    public async ValueTask DisposeAsync()
    {
        await Manager.App.StopAsync();
        await Manager.DisposeAsync();
        await TestDatabase.DisposeAsync();
        _data.Dispose();
    }
}
