using Microsoft.Extensions.Hosting;
using System.CommandLine;
using Vcm.Agent.Hosting;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Processes;

/// <summary>vcm agent --join URL --token T [--sim N]: serve hosts to a site's manager.</summary>
public static class AgentCommand
{
    public static Command Create()
    {
        var join = new Option<string?>("--join") { Description = "The manager to join, like http://10.0.0.1:8710." };
        var token = new Option<string?>("--token") { Description = "The join token from `vcm host token`." };
        var sim = new Option<int?>("--sim") { Description = "Serve this many simulated hosts instead of this machine." };
        var prefix = new Option<string?>("--sim-prefix") { Description = "Names of the simulated hosts: PREFIX-001 … (default sim)." };
        var state = new Option<string?>("--sim-state") { Description = "Keep the simulated hosts' inventory in this folder, so it outlives the agent." };
        var listen = new Option<string?>("--listen") { Description = "Where the agent's RPC server listens (default http://127.0.0.1:0, a free port)." };
        var data = new Option<string?>("--data") { Description = "The agent's folder (default DATA/agent)." };
        var exitWith = new Option<int?>("--exit-with") { Description = "Exit when the process with this PID is gone." };
        var simulation = new SimulationOptions();
        var command = new Command("agent", "Run a host agent: the manager drives this host's VMs, networks and storage through it.")
        {
            join, token, sim, prefix, state, listen, data, exitWith,
        };
        simulation.AddTo(command);
        command.SetAction(async (cli, ct) =>
        {
            if (cli.Get(sim) is not { } count)
            {
                throw new CliException("Real host drivers are not built yet; run the agent with --sim N for simulated hosts", ExitCodes.Usage);
            }

            if (count is < 1 or > 100_000)
            {
                throw new CliException($"--sim {count} is not between 1 and 100000", ExitCodes.Usage);
            }

            var dataDirectory = cli.Get(data) ?? Path.Combine(CliPaths.DefaultDataDirectory(), "agent");
            var options = new AgentOptions
            {
                Listen = cli.Get(listen) ?? "http://127.0.0.1:0",
                DataDirectory = dataDirectory,
                JoinUrl = cli.Get(join),
                JoinToken = cli.Get(token),
                SimHosts = count,
                Sim = simulation.Read(cli, cli.Get(state)),
                SimPrefix = cli.Get(prefix) ?? "sim",
                ExitWithPid = cli.Get(exitWith),
            };
            var hosts = AgentHosts.Simulated(count, options.SimPrefix, options.Sim);
            await using var app = AgentServer.Build(options, hosts);
            await app.StartAsync(ct);
            Console.Error.WriteLine($"vcm agent: {count} simulated hosts, RPC at {AgentServer.ListeningUrl(app)}{(options.JoinUrl is { } j ? $", joining {j}" : "")}");
            await app.WaitForShutdownAsync(ct);
            return ExitCodes.Ok;
        });
        return command;
    }
}
