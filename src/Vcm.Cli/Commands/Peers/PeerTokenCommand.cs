using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Peers;

/// <summary>vcm peer token</summary>
public static class PeerTokenCommand
{
    public static Command Create()
    {
        var command = new Command("token", "Print a one-time token with which another site registers this one: `vcm peer add SITE URL --token T` there.");
        command.SetAction(async (cli, ct) =>
        {
            var token = await PeerApi.CallAsync(cli, "POST /api/v1/peers/tokens", c => c.CreatePeerTokenAsync(ct));
            if (cli.Json)
            {
                cli.WriteJson(token);
            }
            else
            {
                Console.Out.WriteLine(token.Token);
                Console.Error.WriteLine($"valid until {token.ExpiresAt:u}; at the other site run: vcm peer add {token.Site} {token.Url} --token {token.Token}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
