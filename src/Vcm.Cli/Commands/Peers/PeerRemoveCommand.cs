using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Peers;

/// <summary>vcm peer remove NAME</summary>
public static class PeerRemoveCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The peer site's name." };
        var command = new Command("remove", "Stop federating with a site: its keys are forgotten here.") { name };
        command.SetAction(async (cli, ct) =>
        {
            var site = cli.Get(name)!;
            var peer = await PeerApi.CallAsync(cli, $"DELETE /api/v1/peers/{site}", c => c.RemovePeerAsync(site, ct));
            if (cli.Json)
            {
                cli.WriteJson(peer);
            }
            else
            {
                Console.Out.WriteLine($"site {peer.Name} is no longer a peer of this site");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
