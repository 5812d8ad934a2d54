using System.CommandLine;
using Vcm.Cli.Infrastructure;
using Vcm.Cli.Lab;
using Vcm.Drivers.Processes;

namespace Vcm.Cli.Commands.Processes;

/// <summary>vcm down: take a lab down — its agents, what they made on every host, its namespaces and files.</summary>
public static class DownCommand
{
    public static Command Create()
    {
        var command = new Command("down", "Remove the lab that `vcm up --lab` made (even if that process was killed).")
        {
            ManagerCommand.Data,
        };
        command.SetAction(async (cli, ct) =>
        {
            var data = Path.GetFullPath(cli.Get(ManagerCommand.Data) ?? CliPaths.DefaultDataDirectory());
            if (LabState.Load(data) is not { } state)
            {
                Console.Out.WriteLine($"There is no lab in {data}; nothing to do.");
                return ExitCodes.Ok;
            }

            await new LabRunner(ProcessRunner.Instance, Environment.ProcessPath!).StopAsync(state, ct);
            Console.Out.WriteLine($"The lab ({string.Join(", ", state.Plan.AllHosts.Select(h => h.Name))}) is gone: its agents, VMs, gateways, volumes, namespaces and files.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
