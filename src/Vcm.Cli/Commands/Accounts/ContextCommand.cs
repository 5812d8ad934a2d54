using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Accounts;

/// <summary>vcm context list | use NAME: the sign-ins kept by `vcm login`.</summary>
public static class ContextCommand
{
    public static Command Create()
    {
        var list = new Command("list", "The contexts (server and user) `vcm login` kept; * marks the current one.");
        list.SetAction((cli, _) =>
        {
            var config = cli.Config;
            if (cli.Json)
            {
                cli.WriteJson(config.Contexts.Select(c => new { name = c.Key, server = c.Value.Server, user = c.Value.User, current = c.Key == config.Current }).ToList());
            }
            else
            {
                Table.Write(["", "context", "server", "user"], config.Contexts.OrderBy(c => c.Key, StringComparer.Ordinal)
                    .Select(c => new[] { c.Key == config.Current ? "*" : "", c.Key, c.Value.Server, c.Value.User }));
            }

            return Task.FromResult(ExitCodes.Ok);
        });

        var name = new Argument<string>("name") { Description = "The context to make current." };
        var use = new Command("use", "Make a context current.") { name };
        use.SetAction((cli, _) =>
        {
            var wanted = cli.Get(name)!;
            var config = cli.Config;
            if (!config.Contexts.ContainsKey(wanted))
            {
                throw new CliException($"There is no context {wanted}; `vcm context list` lists them.", ExitCodes.NotFound);
            }

            (config with { Current = wanted }).Save();
            if (cli.Json)
            {
                cli.WriteJson(new { current = wanted });
            }
            else
            {
                Console.Out.WriteLine($"context {wanted} ({config.Contexts[wanted].Server}) is current");
            }

            return Task.FromResult(ExitCodes.Ok);
        });

        return new Command("context", "Contexts: the servers and tokens `vcm login` signed in with.") { list, use };
    }
}
