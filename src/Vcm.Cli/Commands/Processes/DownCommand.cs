using System.CommandLine;
using Vcm.Cli.Infrastructure;
using Vcm.Cli.Lab;

namespace Vcm.Cli.Commands.Processes;

/// <summary>vcm down: take a lab down — its agents, what they made on every host, its namespaces and files.</summary>
public static class DownCommand
{
    public static Command Create(CliServices services)
    {
        var command = new Command("down", "Remove what `vcm up` made: a lab, or on a one-host site every VM, gateway and volume (clusters are released).")
        {
            ManagerCommand.Data, ManagerCommand.Listen,
        };
        command.SetAction(async (cli, ct) =>
        {
            var data = Path.GetFullPath(cli.Get(ManagerCommand.Data) ?? CliPaths.DefaultDataDirectory());
            if (LabState.Load(data) is not { } state)
            {
                return await LocalDown.RunAsync(cli, services, data, ct);
            }

            await new LabRunner(services, Environment.ProcessPath!).StopAsync(state, ct);
            Console.Out.WriteLine($"The lab ({string.Join(", ", state.Plan.AllHosts.Select(h => h.Name))}) is gone: its agents, VMs, gateways, volumes, namespaces and files.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
