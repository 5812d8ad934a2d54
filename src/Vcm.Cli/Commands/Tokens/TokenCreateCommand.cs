using System.CommandLine;
using Vcm.Api;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Tokens;

/// <summary>vcm token create [--user NAME] [--expires 30d] [--name N]</summary>
public static class TokenCreateCommand
{
    public static Command Create()
    {
        var user = new Option<string?>("--user") { Description = "For a user you manage (default: yourself)." };
        var expires = new Option<string?>("--expires") { Description = "Lifetime like 30d or 12h, or none (default 90d)." };
        var name = new Option<string?>("--name") { Description = "What the token is for, like laptop or ci." };
        var command = new Command("create", "Make an API token; its secret is printed once (`vcm login SERVER` takes it on standard input).") { user, expires, name };
        command.SetAction(async (cli, ct) =>
        {
            var token = await cli.Client().CreateTokenAsync(new TokenCreateRequest(cli.Get(user), cli.Get(name), cli.Get(expires)), ct);
            if (cli.Json)
            {
                cli.WriteJson(token);
            }
            else
            {
                Console.Out.WriteLine(token.Secret);
                Console.Error.WriteLine($"token {token.Id} for {token.User}, {(token.ExpiresAt is { } e ? $"valid until {e:u}" : "valid until revoked")}; it is not shown again");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
