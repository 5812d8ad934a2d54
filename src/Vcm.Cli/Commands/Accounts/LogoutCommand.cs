using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Accounts;

/// <summary>vcm logout [--context NAME] [--revoke]</summary>
public static class LogoutCommand
{
    public static Command Create()
    {
        var contextName = new Option<string?>("--context") { Description = "The context to forget (default: the current one)." };
        var revoke = new Option<bool>("--revoke") { Description = "Also revoke the token at the server, so no copy of it works either." };
        var command = new Command("logout", "Forget a context's token here (and with --revoke, at the server).") { contextName, revoke };
        command.SetAction(async (cli, ct) =>
        {
            var config = cli.Config;
            var name = cli.Get(contextName) ?? config.Current ?? throw new CliException("No context is current; nothing to log out of.", ExitCodes.NotFound);
            if (!config.Contexts.TryGetValue(name, out var context))
            {
                throw new CliException($"There is no context {name}; `vcm context list` lists them.", ExitCodes.NotFound);
            }

            if (cli.Get(revoke))
            {
                using var client = Vcm.Api.VcmClient.Create(context.Server, context.Token);
                var me = await client.WhoAmIAsync(ct);
                await client.RevokeTokenAsync(me.TokenId ?? throw new CliException("The server did not say which token this is; it is not revoked.", ExitCodes.Failed), ct);
            }

            config.Contexts.Remove(name);
            (config with { Current = config.Current == name ? null : config.Current }).Save();
            if (cli.Json)
            {
                cli.WriteJson(new { context = name, revoked = cli.Get(revoke) });
            }
            else
            {
                Console.Out.WriteLine($"logged out of {context.Server} (context {name}){(cli.Get(revoke) ? "; the token is revoked" : "")}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
