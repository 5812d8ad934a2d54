using System.CommandLine;
using Vcm.Agent.Linux.Preparation;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Hosts;

/// <summary>vcm host prepare: install what the real drivers need on this host.</summary>
public static class HostPrepareCommand
{
    public static Command Create(CliServices services)
    {
        var command = new Command("prepare", "Install what this host is missing for real VMs, networks and storage (Debian packages; needs root).");
        command.SetAction(async (cli, ct) =>
        {
            var result = await HostPreparation.PrepareAsync(services.Runner, Environment.UserName == "root" || IsRoot(), ct);
            if (cli.Json)
            {
                cli.WriteJson(new { ready = result.Ready, message = result.Sentence, missing = HostPreparation.Missing().Select(m => m.Package).Distinct() });
            }
            else
            {
                (result.Ready ? Console.Out : Console.Error).WriteLine(result.Sentence);
            }

            return result.Ready ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    public static bool IsRoot() => File.ReadAllLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0");
}
