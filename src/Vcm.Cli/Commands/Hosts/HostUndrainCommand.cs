using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Hosts;

/// <summary>vcm host undrain HOST: the host takes new work again.</summary>
public static class HostUndrainCommand
{
    public static Command Create()
    {
        var host = new Argument<string>("host") { Description = "The host's name." };
        var command = new Command("undrain", "Make a draining host ready again: it takes new placements (migrations already under way go on).") { host };
        command.SetAction(async (cli, ct) =>
        {
            var view = await cli.Client().UndrainHostAsync(cli.Get(host)!, ct);
            if (cli.Json)
            {
                cli.WriteJson(view);
            }
            else
            {
                Console.Out.WriteLine($"host {view.Name} is {view.State}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
