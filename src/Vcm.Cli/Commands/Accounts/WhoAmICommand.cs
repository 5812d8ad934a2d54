using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Accounts;

/// <summary>vcm whoami</summary>
public static class WhoAmICommand
{
    public static Command Create()
    {
        var command = new Command("whoami", "Who the token signs in as: user, tenant, role, and the site.");
        command.SetAction(async (cli, ct) =>
        {
            var me = await cli.Client().WhoAmIAsync(ct);
            if (cli.Json)
            {
                cli.WriteJson(me);
            }
            else
            {
                Table.Write(["user", "tenant", "role", "site", "server", "token"], [[me.User, me.Tenant, me.Role, me.Site, cli.ServerUrl, me.TokenId]]);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
