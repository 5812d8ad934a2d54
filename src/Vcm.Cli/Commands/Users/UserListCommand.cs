using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Users;

/// <summary>vcm user list [--tenant T]</summary>
public static class UserListCommand
{
    public static Command Create()
    {
        var tenant = new Option<string?>("--tenant") { Description = "Only this tenant's users." };
        var command = new Command("list", "The users the caller manages: a tenant-admin its tenant's, the provider everyone.") { tenant };
        command.SetAction(async (cli, ct) =>
        {
            var users = await cli.Client().ListUsersAsync(cli.Get(tenant), ct);
            if (cli.Json)
            {
                cli.WriteJson(users);
            }
            else
            {
                UserPrinter.Write(users);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
