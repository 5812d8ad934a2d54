using System.CommandLine;
using System.Globalization;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Peers;

/// <summary>vcm peer list</summary>
public static class PeerListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "The sites this site federates with.");
        command.SetAction(async (cli, ct) =>
        {
            var peers = await PeerApi.CallAsync(cli, "GET /api/v1/peers", c => c.ListPeersAsync(ct));
            if (cli.Json)
            {
                cli.WriteJson(peers);
                return ExitCodes.Ok;
            }

            Table.Write(
                ["peer", "url", "added"],
                peers.Select(p => new[] { p.Name, p.Url, p.AddedAt.ToString("u", CultureInfo.InvariantCulture) }));
            return ExitCodes.Ok;
        });
        return command;
    }
}
