using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Hosts;

/// <summary>vcm host token</summary>
public static class HostTokenCommand
{
    public static Command Create()
    {
        var command = new Command("token", "Print a join token for `vcm agent --join URL --token-file FILE` on a new host.");
        command.SetAction(async (cli, ct) =>
        {
            var token = await cli.Client().CreateJoinTokenAsync(ct);
            if (cli.Json)
            {
                cli.WriteJson(token);
            }
            else
            {
                Console.Out.WriteLine(token.Token);
                Console.Error.WriteLine($"valid until {token.ExpiresAt:u}; on the new host put it in a file only root reads (or in VCM_JOIN_TOKEN) and run: vcm agent --join {token.JoinUrl} --token-file FILE");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
