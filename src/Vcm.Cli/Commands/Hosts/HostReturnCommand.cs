using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Hosts;

/// <summary>vcm host return HOST: a dead host, repaired and its agent running again, back in service.</summary>
public static class HostReturnCommand
{
    public static Command Create()
    {
        var host = new Argument<string>("host") { Description = "The host's name." };
        var command = new Command(
            "return",
            "Return a dead host to service once its agent reports again: everything vcm had left on it is removed first, then it takes placements.")
        {
            host,
        };
        command.SetAction(async (cli, ct) =>
        {
            var returned = await cli.Client().ReturnHostAsync(cli.Get(host)!, ct);
            if (cli.Json)
            {
                cli.WriteJson(returned);
                return ExitCodes.Ok;
            }

            Console.Out.WriteLine($"host {returned.Host} is {returned.State}{(returned.Wiped ? "; what vcm had left on it was removed" : "")}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
