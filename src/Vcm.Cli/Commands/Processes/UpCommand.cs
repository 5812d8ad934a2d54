using Vcm.Agent.Sim;
using Microsoft.Extensions.Hosting;
using System.CommandLine;
using Vcm.Cli.Infrastructure;
using Vcm.Drivers.Processes;
using Vcm.Manager.Configuration;
using Vcm.Manager.Hosting;

namespace Vcm.Cli.Commands.Processes;

/// <summary>vcm up: a manager and an agent for this machine, in the foreground.</summary>
public static class UpCommand
{
    public static Command Create(CliServices services)
    {
        var sim = new Option<int?>("--sim") { Description = "Run N simulated hosts (in-memory; for trying the control plane)." };
        var lab = new Option<string?>("--lab") { Description = "Build a lab: SITESxHOSTS hosts as network namespaces on this machine, each with its own agent (e.g. 1x3)." };
        var wan = new Option<string?>("--wan") { Description = "With --lab of 2 sites: shape the WAN link between the sites' gateway hosts to this rate (tc tbf), like 100M or 1G." };
        var wanPaths = new Option<int?>("--wan-paths") { Description = "With --lab of 2 sites: build this many WAN links (paths) between the sites' gateway hosts, each its own subnet, each shaped by --wan (default 1)." };
        var simulation = new SimulationOptions();
        var command = new Command("up", "Run a manager and an agent for this machine in the foreground (Ctrl-C stops both).")
        {
            sim, lab, wan, wanPaths, ManagerCommand.Data, ManagerCommand.Listen, ManagerCommand.Site, ManagerCommand.Images,
            ManagerCommand.FenceCommand, ManagerCommand.FenceTimeout, ManagerCommand.HostDownAfter, ManagerCommand.MigrationsPerHost,
        };
        simulation.AddTo(command);
        OidcFlags.AddTo(command);
        command.SetAction(async (cli, ct) =>
        {
            if (cli.Get(lab) is { } shape)
            {
                if (cli.Get(sim) is not null)
                {
                    throw new CliException("--lab and --sim exclude each other: a lab runs real VMs", ExitCodes.Usage);
                }

                var port = new Uri(ManagerCommand.Read(cli).Listen).Port;
                return Vcm.Cli.Lab.LabPlan.TryParse(shape, port, out var plan, out var error)
                    ? await UpLab.RunAsync(cli, services, plan! with { WanRateMbit = WanRate(cli.Get(wan), plan.Sites.Count), WanPaths = WanPaths(cli.Get(wanPaths), plan.Sites.Count) }, ct)
                    : throw new CliException(error, ExitCodes.Usage);
            }

            if (cli.Get(wan) is not null)
            {
                throw new CliException("--wan shapes the link between a lab's sites: use it with --lab 2xN", ExitCodes.Usage);
            }

            if (cli.Get(wanPaths) is not null)
            {
                throw new CliException("--wan-paths sets how many links join a lab's sites: use it with --lab 2xN", ExitCodes.Usage);
            }

            if (cli.Get(sim) is not { } count)
            {
                return await UpLocal.RunAsync(cli, services, ct);
            }

            Console.Out.WriteLine($"vcm up: {count} simulated hosts; no VM, network or volume is made.");
            if (count is < 1 or > 100_000)
            {
                throw new CliException($"--sim {count} is not between 1 and 100000", ExitCodes.Usage);
            }

            var options = ManagerCommand.Read(cli);
            var simOptions = simulation.Read(cli, null);
            await using var manager = await ManagerServer.BuildAsync(options, ct, imageLayers: new SimImageLayers());
            await manager.App.StartAsync(ct);
            var joinToken = await manager.CreateJoinTokenAsync(ct);
            var agentDir = Path.Combine(options.DataDirectory, "agent");
            var args = new List<string>
            {
                "agent", "--sim", count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--join", options.Listen, "--token-file", JoinTokenSource.Write(agentDir, joinToken), "--data", agentDir, "--sim-state", Path.Combine(agentDir, "sim"),
                "--exit-with", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--sim-latency-ms", simOptions.Latency.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--sim-failure-rate", simOptions.FailureRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            args.AddRange(simulation.AgentArguments(cli));
            using var agent = services.Runner.Start(new ProcessSpec(Environment.ProcessPath!, args), line => Console.Error.WriteLine("agent: " + line));
            Console.Out.WriteLine($"manager: {options.Listen} (site {manager.Site.Name}, data in {options.DataDirectory}); agent: pid {agent.Pid}");
            Console.Out.WriteLine($"admin token: {Path.Combine(options.DataDirectory, Manager.Auth.AdminToken.FileName)}");
            Console.Out.WriteLine("try:  ./vcm cluster create demo --workers 3 --wait");
            try
            {
                await manager.App.WaitForShutdownAsync(ct);
            }
            finally
            {
                await agent.StopAsync(TimeSpan.FromSeconds(5));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static int? WanRate(string? text, int sites) =>
        text is null ? null
        : sites < 2 ? throw new CliException("--wan shapes the link between a lab's sites, and this lab has one site: use --lab 2xN", ExitCodes.Usage)
        : Vcm.Domain.Sizes.BitRate.TryParse(text, out var rate, out var error) ? rate.Mbit
        : throw new CliException($"--wan {error}", ExitCodes.Usage);

    private static int WanPaths(int? paths, int sites) =>
        paths is not { } count ? 1
        : sites < 2 ? throw new CliException("--wan-paths sets how many links join a lab's sites, and this lab has one site: use --lab 2xN", ExitCodes.Usage)
        : count is < 1 or > Vcm.Cli.Lab.LabPlan.MaxWanPaths
            ? throw new CliException($"--wan-paths {count} is not between 1 and {Vcm.Cli.Lab.LabPlan.MaxWanPaths}", ExitCodes.Usage)
            : count;
}
