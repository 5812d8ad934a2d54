using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Tokens;

/// <summary>vcm token list [--user NAME] [--all]</summary>
public static class TokenListCommand
{
    public static Command Create()
    {
        var user = new Option<string?>("--user") { Description = "A user you manage (default: yourself)." };
        var all = new Option<bool>("--all") { Description = "The tokens of every user you manage." };
        var command = new Command("list", "API tokens (never their secrets).") { user, all };
        command.SetAction(async (cli, ct) =>
        {
            var tokens = await cli.Client().ListTokensAsync(cli.Get(user), cli.Get(all), ct);
            if (cli.Json)
            {
                cli.WriteJson(tokens);
            }
            else
            {
                Table.Write(["id", "user", "name", "created", "expires"], tokens.Select(t => new[]
                {
                    t.Id, t.User, t.Name, t.CreatedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture),
                    t.ExpiresAt?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "never",
                }));
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
