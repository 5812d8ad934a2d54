using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vcm.Api;
using Vcm.Manager.Admission;
using Vcm.Manager.Agents;
using Vcm.Manager.Api;
using Vcm.Manager.Auth;
using Vcm.Manager.Auth.Oidc;
using Vcm.Manager.Controllers;
using Vcm.Manager.Configuration;
using Vcm.Manager.Federation;
using Vcm.Manager.Peers;
using Vcm.Drivers.Processes;
using Vcm.Manager.Hosts;
using Vcm.Manager.Metrics;
using Vcm.Manager.Http;
using Vcm.Manager.Live;
using Vcm.Manager.Watch;
using Vcm.Manager.OpenApi;
using Vcm.Manager.Portal;
using Vcm.Manager.Tls;
using Vcm.Store;
using Vcm.Store.Audit;
using Vcm.Store.Auth;
using Vcm.Store.Clusters;
using Vcm.Store.Admission;
using Vcm.Store.Events;
using Vcm.Store.Federation;
using Vcm.Store.Hosts;
using Vcm.Store.Packages;
using Vcm.Store.Secrets;
using Vcm.Store.Series;
using Vcm.Store.Sites;
using Vcm.Store.Tenancy;

using Vcm.Drivers.Images;
using Vcm.Drivers.Packages;
using Vcm.Manager.Images;

namespace Vcm.Manager.Hosting;

/// <summary>Builds the manager: checks the configuration, migrates the database, and wires the API and controllers.</summary>
public static class ManagerServer
{
    public static async Task<ManagerApp> BuildAsync(
        ManagerOptions options,
        CancellationToken cancellationToken,
        TimeProvider? clock = null,
        IAgentClient? agentClient = null,
        Action<WebApplicationBuilder>? configure = null,
        PeerTransport? peerTransport = null,
        IImageLayers? imageLayers = null,
        IPackageArchive? packageArchive = null)
    {
        var problems = ManagerOptionsValidator.Validate(options);
        if (problems.Count > 0)
        {
            throw new ManagerConfigurationException(string.Join(" ", problems));
        }

        clock ??= TimeProvider.System;
        DataFolder.Ensure(options.DataDirectory);
        var database = new Database(options.EffectiveStore is { Secrets: null } store ? store with { Secrets = SiteSecrets.Open(options.EffectiveKeyDirectory) } : options.EffectiveStore);
        await database.MigrateAsync(cancellationToken);
        var siteRecord = await new SiteStore(database).EnsureLocalAsync(
            new Store.Records.SiteRecord
            {
                Id = "",
                Name = options.SiteName,
                VniFirst = options.VniFirst,
                VniLast = options.VniLast,
                ExternalSubnet = options.External?.Subnet,
                ExternalRouter = options.External?.Router,
                ExternalBridge = options.External?.Bridge,
                ExternalNetns = options.External?.Netns,
                SubnetPool = options.SubnetPool,
            },
            cancellationToken);
        var site = new LocalSite(siteRecord.Id, siteRecord.Name, siteRecord.VniFirst, siteRecord.VniLast)
        {
            External = options.External,
            SubnetPool = options.SubnetPool,
            Url = options.EffectiveAdvertiseUrl,
        };
        var adminToken = await AdminToken.EnsureAsync(options.DataDirectory, new TokenStore(database), new TenancyStore(database), clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        var identity = new ManagerIdentity(options.ManagerId ?? LoadOrCreateId(options.DataDirectory));
        DataFolder.Ensure(options.EffectiveKeyDirectory);
        var tls = new ManagerTls(SiteAuthority.Open(options.EffectiveKeyDirectory, siteRecord.Name, clock.GetUtcNow()), options, clock);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Listen);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = 16 * 1024 * 1024;

            // Any client certificate is taken at the handshake; AccessMiddleware decides what it proves (an agent of
            // this site's CA, a peer's manager of the CA pinned for it), so a wrong one gets a problem, not a reset.
            k.ConfigureHttpsDefaults(https =>
            {
                https.ServerCertificateSelector = (_, _) => tls.Credentials.Current.Certificate;
                https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate;
                https.AllowAnyClientCertificate();
                https.SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13;
            });
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error); // its keys live in the site's 0700 key folder, unencrypted on purpose
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None); // start failures reach the caller as exceptions

        var services = builder.Services;
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        });
        services.AddHttpErrors();
        services.AddApiDocuments(o =>
        {
            o.AddOperationTransformer(RequestBodySchema.TransformAsync);
            o.AddSchemaTransformer(TextValueSchemas.TransformAsync);
        });
        services.AddSingleton(options);
        services.AddSingleton(options.Controllers);
        services.AddSingleton(clock);
        services.AddSingleton(database);
        services.AddSingleton(site);
        services.AddSingleton(identity);
        services.AddSingleton(tls);
        services.AddSingleton(tls.Authority);
        services.AddHostedService<CertificateRenewal>();
        services.AddSingleton<ClusterStore>();
        services.AddSingleton<ClusterCensus>();
        services.AddSingleton<NodeUsageBook>();
        services.AddSingleton<ManagerMetrics>();
        services.AddSingleton<SeriesStore>();
        services.AddSingleton<AdmissionStore>();
        services.AddSingleton<ClusterLeases>();
        services.AddSingleton<HostStore>();
        services.AddSingleton<SiteStore>();
        services.AddSingleton<EventStore>();
        services.AddSingleton<Vcm.Store.Moves.MigrationStore>();
        services.AddSingleton<TokenStore>();
        services.AddSingleton<TenancyStore>();
        services.AddSingleton<Authenticator>();
        services.AddSingleton<Passwords>();
        services.AddSingleton<WebSessions>();
        services.AddSingleton<AuthMethods>();
        services.AddSingleSignOn(options);
        services.AddSingleton<AuditStore>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton(sp => new FailedSignIns(clock));
        services.AddSingleton<CalendarCache>();
        services.AddSingleton<ClusterAdmission>();
        services.AddSingleton<ClusterChanges>();
        services.AddSingleton<PeerStore>();
        services.AddSingleton<PartStore>();
        services.AddSingleton(peerTransport ?? new PeerTransport());
        services.AddSingleton<PeerAuthorities>();
        services.AddSingleton<FederationClient>();
        services.AddSingleton<PeerService>();
        services.AddSingleton<PartBroker>();
        services.AddSingleton(imageLayers ?? new NoImageLayers());
        services.AddSingleton(packageArchive ?? new NoPackageArchive());
        services.AddSingleton<LayerBuilds>();
        services.AddSingleton<PackageHistoryStore>();
        services.AddSingleton<CacheImageStore>();
        services.AddSingleton<ReadyEstimator>();
        services.AddSingleton<ImageFetchMeter>();
        services.AddSingleton<CacheImages>();
        services.AddHostedService(sp => sp.GetRequiredService<CacheImages>());
        services.AddSingleton<ClusterReconciler>();
        if (agentClient is not null)
        {
            services.AddSingleton(agentClient); // the caller's: it disposes it
        }
        else
        {
            services.AddSingleton<IAgentClient>(sp => new HttpAgentClient(tls.Credentials, metrics: sp.GetRequiredService<ManagerMetrics>())); // made by the container, which disposes it
        }

        services.AddSingleton<ChangeSignal>();
        services.AddSingleton<ClusterFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterFeed>());
        services.AddSingleton<ClusterController>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterController>());
        services.AddHostedService<HostMonitor>();
        services.AddSingleton<DrainStore>();
        services.AddSingleton<ConsolidationHints>();
        services.AddSingleton<HostDrainer>();
        services.AddHostedService(sp => sp.GetRequiredService<HostDrainer>());
        services.AddSingleton<HostDrains>();
        services.AddSingleton<HostConsolidation>();
        services.AddSingleton<IHostFence>(sp => options.FenceCommand is { } fence
            ? new CommandFence(fence, options.FenceTimeout, ProcessRunner.Instance)
            : new NoFence());
        services.AddSingleton<HostFencing>();
        services.AddSingleton<HostRecovery>();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseHttpErrors();
        app.UseWebSockets();
        app.UsePortal(PortalFiles.DefaultRoot);
        if (options.Oidc is not null)
        {
            app.UseAuthentication(); // only the OpenID Connect callback: no default scheme authenticates requests
        }

        app.UseRouting();
        app.UseMiddleware<AccessMiddleware>();
        app.MapApiDocuments();
        app.MapGet("/healthz", () => Results.Ok(new HealthView("ok", site.Name, identity.Id)))
            .WithName("getHealth").WithTags("health").WithSummary("Whether the manager is up, with its site's and its own name.");
        app.MapAgents();
        var api = app.MapGroup("/api/v1");
        api.MapClusters();
        api.MapClusterChanges();
        api.MapMigrations();
        api.MapNodes();
        api.MapWatch();
        api.MapEvents();
        api.MapHostsAndSites();
        api.MapHostRecovery();
        api.MapHostDrains();
        api.MapCapacity();
        api.MapSiteLimits();
        api.MapSeries();
        api.MapPeers();
        api.MapImageStore();
        api.MapImages();
        api.MapPackages();
        api.MapTenancy();
        app.MapFederation();
        app.MapPeerCapacity();
        app.MapMetrics();
        app.MapSingleSignOn();
        return new ManagerApp(app, adminToken, site, database);
    }

    /// <summary>The manager's stable name, kept in DATA/manager.id.</summary>
    private static string LoadOrCreateId(string dataDirectory)
    {
        var file = Path.Combine(dataDirectory, "manager.id");
        if (File.Exists(file))
        {
            return File.ReadAllText(file).Trim();
        }

        var id = "mgr-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        File.WriteAllText(file, id + "\n");
        return id;
    }
}
