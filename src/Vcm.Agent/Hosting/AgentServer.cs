using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vcm.Agent.Execution;
using Vcm.Agent.Sim;
using Vcm.Drivers.Hosts;
using Vcm.Drivers.Rpc;
using Vcm.Drivers.Tls;

namespace Vcm.Agent.Hosting;

/// <summary>The agent process: an RPC server over its hosts' drivers, and the join/heartbeat loop to its manager.</summary>
public static class AgentServer
{
    /// <summary>The agent's web application; <paramref name="clock"/> (default the system's) times its background loops.</summary>
    /// <param name="tls">The agent's TLS (by default loaded from its data folder): an https listener serves with its certificate and takes only callers with one of the site's CA.</param>
    public static WebApplication Build(AgentOptions options, AgentHosts hosts, Action<ILoggingBuilder>? logging = null, TimeProvider? clock = null, AgentTls? tls = null)
    {
        if (Loopback.PlainOffLoopback(options.Listen))
        {
            throw new ArgumentException($"an agent serves plain HTTP on loopback only; listen at https:// instead of {options.Listen}", nameof(options));
        }

        var identity = AgentIdentity.LoadOrCreate(options.DataDirectory);
        tls ??= AgentTls.Load(options.DataDirectory);
        var credentials = tls.Credentials;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Listen);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(https =>
        {
            // no certificate before the agent has joined: handshakes fail until then
            https.ServerCertificateSelector = (_, _) => credentials.Current.Certificate;
            https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (certificate, _, _) => SiteTrust.AcceptsClient(certificate, credentials.Current.Authority, null);
            https.SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13;
        }));
        builder.Logging.ClearProviders();
        if (logging is not null)
        {
            logging(builder.Logging);
        }
        else
        {
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        }

        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = AgentJson.Options.PropertyNamingPolicy;
            o.SerializerOptions.DefaultIgnoreCondition = AgentJson.Options.DefaultIgnoreCondition;
            foreach (var converter in AgentJson.Options.Converters)
            {
                o.SerializerOptions.Converters.Add(converter);
            }
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(clock ?? TimeProvider.System);
        builder.Services.AddSingleton(identity);
        builder.Services.AddSingleton(tls);
        builder.Services.AddSingleton(hosts);
        builder.Services.AddSingleton(new StepExecutor(hosts.ByName));
        builder.Services.AddHostedService<AgentJoinService>();
        var supervised = hosts.ByName.Values.OfType<ISupervisedHost>().ToList();
        if (supervised.Count > 0)
        {
            builder.Services.AddHostedService(sp => new DaemonSupervisor(supervised, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DaemonSupervisor>>()));
        }

        var pathHosts = hosts.ByName.Values.OfType<IVpnPathHost>().ToList();
        if (pathHosts.Count > 0)
        {
            builder.Services.AddHostedService(sp => new VpnPathSupervisor(pathHosts, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<VpnPathSupervisor>>()));
        }
        foreach (var linux in hosts.ByName.Values.OfType<Linux.LinuxHost>().Where(h => h.Packages is not null))
        {
            builder.Services.AddHostedService(_ => new Linux.Packages.PackageSocketService(linux.Context.Paths.PackageSocket, linux.Packages!));
        }

        if (options.ExitWithPid is { } pid)
        {
            builder.Services.AddHostedService(sp => new ParentWatcher(pid, sp.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>()));
        }

        var app = builder.Build();
        var imageReadToken = ImageReadToken.For(identity.Key);
        app.Use(async (context, next) =>
        {
            if (!Authorized(context.Request, identity.Key)
                && !(ImageFileEndpoint.IsImageRead(context.Request) && Authorized(context.Request, imageReadToken)))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await next(context);
        });
        MapRoutes(app, hosts);
        return app;
    }

    /// <summary>The URL the server really listens on (after a port-0 bind).</summary>
    public static string ListeningUrl(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    private static void MapRoutes(WebApplication app, AgentHosts hosts)
    {
        app.MapPost(AgentPaths.Apply, (ApplyRequest request, StepExecutor executor, CancellationToken ct) => executor.ApplyAsync(request, ct));
        app.MapGet(AgentPaths.Hosts, () => hosts.Facts);
        app.MapPost(AgentPaths.Vms, async (List<string> names, CancellationToken ct) =>
        {
            var answer = new Dictionary<string, IReadOnlyList<Vcm.Drivers.Compute.VmStatus>>(StringComparer.Ordinal);
            foreach (var name in names)
            {
                if (hosts.ByName.TryGetValue(name, out var drivers))
                {
                    answer[name] = await drivers.Compute.ListVmsAsync(ct);
                }
            }

            return answer;
        });
        app.MapGet("/agent/v1/hosts/{host}/inventory", async (string host, CancellationToken ct) =>
            hosts.ByName.TryGetValue(host, out var drivers) ? Results.Ok(await InventoryAsync(drivers, ct)) : Results.NotFound());
        app.MapGet("/agent/v1/hosts/{host}/gateways/{gateway}/reports", async (string host, string gateway, CancellationToken ct) =>
            hosts.ByName.TryGetValue(host, out var drivers) ? Results.Ok(await drivers.Network.ReportsAsync(gateway, ct)) : Results.NotFound());
        app.MapGet("/agent/v1/hosts/{host}/vms/{vm}/console", async (string host, string vm, int? bytes, CancellationToken ct) =>
            hosts.ByName.TryGetValue(host, out var drivers) && await drivers.Compute.ConsoleAsync(vm, Math.Clamp(bytes ?? 16384, 1, 1 << 20), ct) is { } text
                ? Results.Text(text, "text/plain; charset=utf-8")
                : Results.NotFound());
        app.MapGet("/agent/v1/sim/{host}/creations", (string host) =>
            hosts.ByName.TryGetValue(host, out var drivers) && drivers is SimHost sim ? Results.Ok(sim.VmCreations()) : Results.NotFound());
        app.MapImageFiles(hosts);
        app.MapPost("/agent/v1/sim/{host}/vms/{name}/kill", (string host, string name) =>
            hosts.ByName.TryGetValue(host, out var drivers) && drivers is SimHost sim && sim.KillVm(name) ? Results.NoContent() : Results.NotFound());
    }

    public static async Task<HostInventory> InventoryAsync(IHostDrivers drivers, CancellationToken cancellationToken)
    {
        if (drivers is SimHost sim)
        {
            return sim.Inventory();
        }

        var vms = await drivers.Compute.ListVmsAsync(cancellationToken);
        var network = await drivers.Network.ListAsync(cancellationToken);
        var volumes = await drivers.Storage.ListVolumesAsync(cancellationToken);
        var images = await drivers.Images.ListAsync(cancellationToken);
        return new HostInventory(drivers.Facts.Name, vms, network.Segments, network.Gateways, volumes, images.Images, images.Disks)
        {
            Vpns = network.Vpns,
        };
    }

    private static bool Authorized(HttpRequest request, string key)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var given = Encoding.UTF8.GetBytes(header[prefix.Length..]);
        var expected = Encoding.UTF8.GetBytes(key);
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }
}
