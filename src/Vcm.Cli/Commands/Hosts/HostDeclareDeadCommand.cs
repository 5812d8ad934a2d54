using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Hosts;

/// <summary>vcm host declare-dead HOST: a provider's word that a host is gone; what it held is rebuilt on other hosts.</summary>
public static class HostDeclareDeadCommand
{
    public static Command Create()
    {
        var host = new Argument<string>("host") { Description = "The host's name." };
        var command = new Command(
            "declare-dead",
            "Declare a host whose agent is silent dead (powered off, gone) without fencing it: it takes no work, and its clusters' nodes, gateways and volumes are rebuilt on other hosts with their names, addresses and host keys.")
        {
            host,
        };
        command.SetAction(async (cli, ct) =>
        {
            var report = await cli.Client().DeclareHostDeadAsync(cli.Get(host)!, ct);
            if (cli.Json)
            {
                cli.WriteJson(report);
                return ExitCodes.Ok;
            }

            Console.Out.WriteLine($"host {report.Host} is dead; {report.Rebuilt.Count} pieces rebuilt elsewhere, {report.Waiting.Count} waiting for room.");
            foreach (var line in report.Rebuilt)
            {
                Console.Out.WriteLine($"  rebuilding {line}");
            }

            foreach (var line in report.Waiting)
            {
                Console.Out.WriteLine($"  waiting    {line}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
