using Microsoft.Extensions.Hosting;
using System.CommandLine;
using Microsoft.Extensions.Logging;
using Vcm.Agent.Hosting;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Processes;

/// <summary>vcm agent --join URL --token-file FILE [--sim N]: serve hosts to a site's manager.</summary>
public static class AgentCommand
{
    public static Command Create(CliServices services)
    {
        var join = new Option<string?>("--join") { Description = "The manager to join, like http://10.0.0.1:8710." };
        var token = new Option<string?>("--token") { Description = "The join token from `vcm host token` (shows in the process list: prefer --token-file or VCM_JOIN_TOKEN)." };
        var tokenFile = new Option<string?>("--token-file") { Description = "A file holding the join token (preferred; the VCM_JOIN_TOKEN environment variable works too)." };
        var sim = new Option<int?>("--sim") { Description = "Serve this many simulated hosts instead of this machine." };
        var prefix = new Option<string?>("--sim-prefix") { Description = "Names of the simulated hosts: PREFIX-001 … (default sim)." };
        var state = new Option<string?>("--sim-state") { Description = "Keep the simulated hosts' inventory in this folder, so it outlives the agent." };
        var listen = new Option<string?>("--listen") { Description = "Where the agent's RPC server listens (default http://127.0.0.1:0, a free port)." };
        var data = new Option<string?>("--data") { Description = "The agent's folder (default DATA/agent)." };
        var exitWith = new Option<int?>("--exit-with") { Description = "Exit when the process with this PID is gone." };
        var hostName = new Option<string?>("--host-name") { Description = "This host's name in the site (default: the machine's name)." };
        var address = new Option<string?>("--address") { Description = "This host's address on the site's underlay network (VXLAN, iSCSI)." };
        var wanAddress = new Option<string[]>("--wan-address") { Description = "This gateway host's address on the WAN, where other sites' gateways reach its cluster VPN ends (reported to the manager); once per WAN path, in path order, when it has several links." };
        var roles = new Option<string?>("--roles") { Description = "compute, gateway, storage, comma-separated (default all three)." };
        var imageStore = new Option<string?>("--image-store") { Description = "Where base images come from: a folder, or the manager's URL (default: the --join URL)." };
        var underlayMtu = new Option<int?>("--underlay-mtu") { Description = "MTU of the underlay network (default 1500)." };
        var cpus = new Option<int?>("--cpus") { Description = "CPUs to offer the site (default: this machine's)." };
        var memory = new Option<string?>("--memory") { Description = "Memory to offer the site (default: this machine's)." };
        var disk = new Option<string?>("--disk") { Description = "Disk to offer the site (default: free space of the data folder)." };
        var heartbeat = new Option<int?>("--heartbeat-seconds") { Description = "Seconds between heartbeats to the manager (default 5); a host silent for the manager's --host-down-after is marked down." };
        var teardown = new Option<bool>("--teardown") { Description = "Remove everything vcm made on this host (VMs, disks, VPN ends, gateways, segments, volumes) and exit." };
        var simulation = new SimulationOptions();
        var command = new Command("agent", "Run a host agent: the manager drives this host's VMs, networks and storage through it.")
        {
            join, token, tokenFile, sim, prefix, state, listen, data, exitWith, hostName, address, wanAddress, roles, imageStore, underlayMtu, cpus, memory, disk, heartbeat, teardown,
        };
        simulation.AddTo(command);
        command.SetAction(async (cli, ct) =>
        {
            var joinToken = JoinTokenSource.Resolve(cli.Get(token), cli.Get(tokenFile));
            if (cli.Get(sim) is not { } count)
            {
                return await RunRealAsync(services, new RealOptions(
                    cli.Get(join), joinToken, cli.Get(listen), cli.Get(data), cli.Get(exitWith), cli.Get(hostName), cli.Get(address),
                    cli.Get(wanAddress) ?? [], cli.Get(roles), cli.Get(imageStore), cli.Get(underlayMtu), cli.Get(cpus), cli.Get(memory), cli.Get(disk), cli.Get(teardown), cli.Get(heartbeat)), ct);
            }

            if (count is < 1 or > 100_000)
            {
                throw new CliException($"--sim {count} is not between 1 and 100000", ExitCodes.Usage);
            }

            var dataDirectory = cli.Get(data) ?? Path.Combine(CliPaths.DefaultDataDirectory(), "agent");
            var options = new AgentOptions
            {
                Listen = CheckListen(cli.Get(listen)),
                DataDirectory = dataDirectory,
                JoinUrl = cli.Get(join),
                JoinToken = joinToken,
                SimHosts = count,
                Sim = simulation.Read(cli, cli.Get(state)),
                SimPrefix = cli.Get(prefix) ?? "sim",
                ExitWithPid = cli.Get(exitWith),
            };
            var hosts = AgentHosts.Simulated(count, options.SimPrefix, options.Sim);
            await using var app = AgentServer.Build(options, hosts, clock: services.Clock);
            await app.StartAsync(ct);
            Console.Error.WriteLine($"vcm agent: {count} simulated hosts, RPC at {AgentServer.ListeningUrl(app)}{(options.JoinUrl is { } j ? $", joining {j}" : "")}");
            await app.WaitForShutdownAsync(ct);
            return ExitCodes.Ok;
        });
        return command;
    }

    private sealed record RealOptions(
        string? Join, string? Token, string? Listen, string? Data, int? ExitWith, string? HostName, string? Address, IReadOnlyList<string> WanAddresses, string? Roles,
        string? ImageStore, int? UnderlayMtu, int? Cpus, string? Memory, string? Disk, bool Teardown, int? HeartbeatSeconds);

    /// <summary>This machine (or the namespace the agent was started in) as a real host.</summary>
    private static async Task<int> RunRealAsync(CliServices services, RealOptions o, CancellationToken ct)
    {
        var name = (o.HostName ?? Environment.MachineName).ToLowerInvariant();
        var dataDirectory = Path.GetFullPath(o.Data ?? Path.Combine(CliPaths.DefaultDataDirectory(), "agent"));
        var roleList = (o.Roles ?? "compute,gateway,storage").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (roleList.Any(r => r is not ("compute" or "gateway" or "storage")))
        {
            throw new CliException($"--roles '{o.Roles}' may only name compute, gateway and storage", ExitCodes.Usage);
        }

        var address = o.Address ?? "127.0.0.1";
        foreach (var wan in o.WanAddresses)
        {
            if (!(System.Net.IPAddress.TryParse(wan, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork))
            {
                throw new CliException($"--wan-address '{wan}' is not an IPv4 address", ExitCodes.Usage);
            }
        }

        if (o.WanAddresses.Distinct(StringComparer.Ordinal).Count() != o.WanAddresses.Count)
        {
            throw new CliException($"--wan-address names {string.Join(", ", o.WanAddresses)}: each WAN path needs an address of its own", ExitCodes.Usage);
        }

        var identity = AgentIdentity.LoadOrCreate(dataDirectory);
        var listenUrl = CheckListen(o.Listen);
        var tls = AgentTls.Load(dataDirectory);
        using var http = tls.Client(Timeout.InfiniteTimeSpan);
        using var logging = LoggerFactory.Create(b => b.AddSimpleConsole(s => { s.SingleLine = true; s.TimestampFormat = "HH:mm:ss "; }).SetMinimumLevel(LogLevel.Warning));
        var imageStore = o.ImageStore ?? o.Join ?? Path.Combine(CliPaths.DefaultDataDirectory(), "images");
        using var host = RealAgent.Create(
            services, name, address, o.WanAddresses, roleList, dataDirectory, imageStore, o.UnderlayMtu ?? 1500, o.Cpus,
            Size(o.Memory, "--memory"), Size(o.Disk, "--disk"), identity.Key, http, logging);
        if (o.Teardown)
        {
            var problems = await host.TeardownAsync(ct);
            foreach (var problem in problems)
            {
                Console.Error.WriteLine($"vcm agent --teardown: {problem}");
            }

            Console.Out.WriteLine(problems.Count == 0
                ? $"vcm agent: everything vcm made on {name} is removed."
                : $"vcm agent: {problems.Count} things on {name} could not be removed.");
            return problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        }

        var options = new AgentOptions
        {
            Listen = listenUrl,
            DataDirectory = dataDirectory,
            JoinUrl = o.Join,
            JoinToken = o.Token,
            ExitWithPid = o.ExitWith,
        };
        if (o.HeartbeatSeconds is { } beat)
        {
            options = beat is >= 1 and <= 300
                ? options with { HeartbeatInterval = TimeSpan.FromSeconds(beat) }
                : throw new CliException($"--heartbeat-seconds {beat} is not between 1 and 300", ExitCodes.Usage);
        }

        await using var app = AgentServer.Build(options, new AgentHosts([host]), clock: services.Clock, tls: tls);
        await app.StartAsync(ct);
        Console.Error.WriteLine($"vcm agent: host {name} ({address}, {string.Join(",", roleList)}), RPC at {AgentServer.ListeningUrl(app)}{(o.Join is { } j ? $", joining {j}" : "")}");
        await app.WaitForShutdownAsync(ct);
        return ExitCodes.Ok;
    }

    /// <summary>The RPC's URL: https by default; plain HTTP only on loopback.</summary>
    private static string CheckListen(string? url) =>
        url is null ? "https://127.0.0.1:0"
        : Vcm.Drivers.Tls.Loopback.PlainOffLoopback(url) ? throw new CliException($"--listen {url} is plain HTTP off loopback: an agent serves HTTPS there (with the certificate its site issues at join), so write https://", ExitCodes.Usage)
        : url;

    private static long? Size(string? text, string option) =>
        text is null ? null
        : Domain.Sizes.ByteSize.TryParse(text, out var size, out var error) ? size.Mebibytes
        : throw new CliException($"{option} {error}", ExitCodes.Usage);
}
