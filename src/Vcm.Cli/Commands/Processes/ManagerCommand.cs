using Vcm.Agent.Linux.Images.Layers;
using Vcm.Agent.Linux.Packages;
using Microsoft.Extensions.Hosting;
using System.CommandLine;
using Vcm.Cli.Infrastructure;
using Vcm.Manager.Configuration;
using Vcm.Manager.Hosting;
using Vcm.Store;

namespace Vcm.Cli.Commands.Processes;

/// <summary>vcm manager: run a site's manager (API and controllers) against SQLite or PostgreSQL.</summary>
public static class ManagerCommand
{
    public static readonly Option<string?> Data = new("--data") { Description = "The manager's folder: database (SQLite), admin token (default ./var)." };
    public static readonly Option<string?> Listen = new("--listen") { Description = "Where the API listens, ';' between URLs (default http://127.0.0.1:8710); HTTPS on any address but loopback, with a certificate of the site's CA." };
    public static readonly Option<string?> Advertise = new("--advertise") { Description = "The URL peer sites reach this manager at (default: the first --listen URL); HTTPS off loopback." };
    public static readonly Option<string?> Db = new("--db") { Description = "sqlite (default) or postgres." };
    public static readonly Option<string?> Connection = new("--connection") { Description = "The PostgreSQL connection string (prefer $VCM_DB_CONNECTION: a password given here shows in the process list)." };
    public static readonly Option<string?> Keys = new("--keys") { Description = "The site's key folder, which encrypts the database's secrets (default DATA/keys; managers sharing one database share it)." };
    public static readonly Option<string?> Site = new("--site") { Description = "This site's name (default local)." };
    public static readonly Option<string?> Id = new("--id") { Description = "This manager's name in leases (default: made once, kept in DATA/manager.id)." };
    public static readonly Option<bool> NoControllers = new("--no-controllers") { Description = "Serve the API only; other managers do the work." };
    public static readonly Option<int?> Workers = new("--workers") { Description = "Clusters reconciled at once (default 8)." };
    public static readonly Option<string?> Images = new("--images") { Description = "The site's image store folder (default DATA/images)." };
    public static readonly Option<string?> ExternalSubnet = new("--external-subnet") { Description = "The site's external network (CIDR), which cluster gateways NAT to and take SSH on; with --external-router. Default: none (gateways have no external side)." };
    public static readonly Option<string?> ExternalRouter = new("--external-router") { Description = "The router's address on the external network." };
    public static readonly Option<string?> ExternalBridge = new("--external-bridge") { Description = "The bridge that is the external network on gateway hosts (default vcext)." };
    public static readonly Option<string?> ExternalNetns = new("--external-netns") { Description = "In a lab: the namespace that is the external network, where `vcm ssh` connects from." };
    public static readonly Option<string?> SubnetPool = new("--subnet-pool") { Description = "Where clusters' default subnets come from (a private network of /24 or larger; default 10.0.0.0/8)." };
    public static readonly Option<int?> CachePercent = new("--cache-percent") { Description = "M: a package asked for in at least M% of an image's last N requests goes into its cache image (default 30)." };
    public static readonly Option<int?> CacheWindow = new("--cache-window") { Description = "N: how many of an image's most recent requests count for its cache image (default 50)." };
    public static readonly Option<string?> FenceCommand = new("--fence-command") { Description = "A program that fences a lost host before its nodes are built elsewhere (VCM_HOST, VCM_HOST_ADDRESS, VCM_SITE in its environment; exit 0 = fenced). Default: none (a lab fences its own hosts)." };
    public static readonly Option<int?> FenceTimeout = new("--fence-timeout") { Description = "Seconds the fence command may run before it is ended and the host counts as not fenced (default 60)." };
    public static readonly Option<int?> HostDownAfter = new("--host-down-after") { Description = "Seconds of an agent's silence after which its hosts are marked down, fenced and their nodes rebuilt elsewhere (default 30; a lab's default 10)." };
    public static readonly Option<int?> MigrationsPerHost = new("--migrations-per-host") { Description = "How many live migrations a host may be the source or destination of at once when the manager moves nodes itself (drain, consolidate; default 1)." };
    public static readonly Option<int?> LeaseSeconds = new("--lease-seconds") { Description = "How long a claim on a cluster lasts unrenewed (default 15)." };

    public static Command Create()
    {
        var command = new Command("manager", "Run a site's manager: the REST API and the controllers.")
        {
            Data, Listen, Advertise, Db, Connection, Keys, Site, Id, NoControllers, Workers, LeaseSeconds, Images,
            ExternalSubnet, ExternalRouter, ExternalBridge, ExternalNetns, SubnetPool, CachePercent, CacheWindow, FenceCommand, FenceTimeout, HostDownAfter,
            MigrationsPerHost,
        };
        OidcFlags.AddTo(command);
        command.SetAction(async (cli, ct) =>
        {
            var options = Read(cli);
            await using var manager = await ManagerServer.BuildAsync(options, ct, imageLayers: new DebianLayers(options.EffectiveImageDirectory, Vcm.Drivers.Processes.ProcessRunner.Instance),
                packageArchive: new AptArchive(Path.Combine(options.EffectiveImageDirectory, ".cache"), Vcm.Drivers.Processes.ProcessRunner.Instance));
            await manager.App.StartAsync(ct);
            Console.Error.WriteLine($"vcm manager: site {manager.Site.Name}, API at {options.Listen}, {options.EffectiveStore.Provider} database");
            await manager.App.WaitForShutdownAsync(ct);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static ManagerOptions Read(Invocation cli, string? listenDefault = null)
    {
        var data = Path.GetFullPath(cli.Get(Data) ?? CliPaths.DefaultDataDirectory());
        StoreOptions? store = (cli.Get(Db) ?? "sqlite") switch
        {
            "sqlite" => null,
            "postgres" => StoreOptions.Postgres(cli.Get(Connection) ?? Environment.GetEnvironmentVariable("VCM_DB_CONNECTION")
                ?? throw new CliException("--db postgres needs --connection or $VCM_DB_CONNECTION", ExitCodes.Usage)),
            var other => throw new CliException($"--db must be sqlite or postgres, not '{other}'", ExitCodes.Usage),
        };
        var defaults = new ControllerOptions();
        var cache = new CacheImageOptions();
        return new ManagerOptions
        {
            DataDirectory = data,
            Listen = cli.Get(Listen) ?? listenDefault ?? "http://127.0.0.1:8710",
            AdvertiseUrl = cli.Get(Advertise),
            Store = store,
            KeyDirectory = cli.Get(Keys) is { } keys ? Path.GetFullPath(keys) : null,
            SiteName = cli.Get(Site) ?? "local",
            ManagerId = cli.Get(Id),
            ImageDirectory = cli.Get(Images) is { } images ? Path.GetFullPath(images) : null,
            External = ReadExternal(cli),
            Oidc = OidcFlags.Read(cli),
            SubnetPool = cli.Get(SubnetPool) ?? new ManagerOptions { DataDirectory = data }.SubnetPool,
            FenceCommand = cli.Get(FenceCommand) is { } fence ? Path.GetFullPath(fence) : null,
            FenceTimeout = cli.Get(FenceTimeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : new ManagerOptions { DataDirectory = data }.FenceTimeout,
            HostDownAfter = cli.Get(HostDownAfter) is { } silent ? TimeSpan.FromSeconds(silent) : new ManagerOptions { DataDirectory = data }.HostDownAfter,
            MigrationsPerHost = cli.Get(MigrationsPerHost) ?? new ManagerOptions { DataDirectory = data }.MigrationsPerHost,
            CacheImages = cache with
            {
                MinPercent = cli.Get(CachePercent) ?? cache.MinPercent,
                Window = cli.Get(CacheWindow) ?? cache.Window,
            },
            Controllers = defaults with
            {
                Enabled = !cli.Get(NoControllers),
                Workers = cli.Get(Workers) ?? defaults.Workers,
                LeaseDuration = cli.Get(LeaseSeconds) is { } lease ? TimeSpan.FromSeconds(lease) : defaults.LeaseDuration,
            },
        };
    }

    /// <summary>The external network from --external-*; the manager's validator checks the values themselves.</summary>
    private static ExternalNetworkOptions? ReadExternal(Invocation cli)
    {
        var (subnet, router) = (cli.Get(ExternalSubnet), cli.Get(ExternalRouter));
        if (subnet is null && router is null)
        {
            return cli.Get(ExternalBridge) is null && cli.Get(ExternalNetns) is null
                ? null
                : throw new CliException("--external-bridge and --external-netns describe an external network: give --external-subnet and --external-router too", ExitCodes.Usage);
        }

        return subnet is not null && router is not null
            ? new ExternalNetworkOptions(subnet, router, cli.Get(ExternalBridge) ?? UpLocal.Bridge, cli.Get(ExternalNetns))
            : throw new CliException("--external-subnet and --external-router go together: give both", ExitCodes.Usage);
    }
}
