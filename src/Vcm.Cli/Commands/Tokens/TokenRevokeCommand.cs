using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Tokens;

/// <summary>vcm token revoke ID</summary>
public static class TokenRevokeCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("id") { Description = "The token's id (tok-…, from `vcm token list`)." };
        var command = new Command("revoke", "Revoke a token: refused everywhere within a second.") { id };
        command.SetAction(async (cli, ct) =>
        {
            var which = cli.Get(id)!;
            await cli.Client().RevokeTokenAsync(which, ct);
            if (cli.Json)
            {
                cli.WriteJson(new { id = which, revoked = true });
            }
            else
            {
                Console.Out.WriteLine($"token {which} is revoked");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
