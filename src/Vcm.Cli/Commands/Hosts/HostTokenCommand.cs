using System.CommandLine;
using System.Globalization;
using Vcm.Api;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Hosts;

/// <summary>vcm host token [--expires D] [--name N] | list | revoke ID: the site's join tokens, as kubeadm's.</summary>
public static class HostTokenCommand
{
    public static Command Create()
    {
        var expires = new Option<string?>("--expires") { Description = "How long it may be used, like 2h or 7d (default 24h, at most 30d)." };
        var name = new Option<string?>("--name") { Description = "What it is for (shown by `vcm host token list`)." };
        var command = new Command("token", "Print a new join token for `vcm agent --join URL --token-file FILE` on new hosts (list: the site's join tokens; revoke ID).")
        {
            expires, name, List(), Revoke(),
        };
        command.SetAction(async (cli, ct) =>
        {
            var token = await cli.Client().CreateJoinTokenAsync(ct, cli.Get(expires) is null && cli.Get(name) is null ? null : new JoinTokenRequest(cli.Get(name), cli.Get(expires)));
            if (cli.Json)
            {
                cli.WriteJson(token);
            }
            else
            {
                Console.Out.WriteLine(token.Token);
                Console.Error.WriteLine($"{token.Id}, valid until {token.ExpiresAt:u}; on each new host put it in a file only root reads (or in VCM_JOIN_TOKEN) and run: vcm agent --join {token.JoinUrl} --token-file FILE");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "The site's join tokens (without their secrets), oldest first.");
        command.SetAction(async (cli, ct) =>
        {
            var tokens = await cli.Client().ListJoinTokensAsync(ct);
            if (cli.Json)
            {
                cli.WriteJson(tokens);
                return ExitCodes.Ok;
            }

            var now = DateTimeOffset.UtcNow;
            Table.Write(
                ["id", "name", "created", "expires"],
                tokens.Select(t => new[]
                {
                    t.Id, t.Name ?? "-", t.CreatedAt.ToString("u", CultureInfo.InvariantCulture),
                    t.ExpiresAt <= now ? "expired" : t.ExpiresAt.ToString("u", CultureInfo.InvariantCulture),
                }));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Revoke()
    {
        var id = new Argument<string>("id") { Description = "The join token's id (from `vcm host token list`)." };
        var command = new Command("revoke", "Revoke a join token: no new host joins with it (hosts that joined keep their keys).") { id };
        command.SetAction(async (cli, ct) =>
        {
            var which = cli.Get(id)!;
            await cli.Client().RevokeJoinTokenAsync(which, ct);
            if (cli.Json)
            {
                cli.WriteJson(new { revoked = which });
            }
            else
            {
                Console.Out.WriteLine($"join token {which} revoked");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
