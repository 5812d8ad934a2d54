using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Users;

/// <summary>vcm user set-role NAME ROLE</summary>
public static class UserSetRoleCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The user." };
        var role = new Argument<string>("role") { Description = "reader, member or tenant-admin (never above the caller's own)." };
        var command = new Command("set-role", "Change a user's role; it takes effect within a second.") { name, role };
        command.SetAction(async (cli, ct) => UserPrinter.Print(cli, await cli.Client().SetRoleAsync(cli.Get(name)!, cli.Get(role)!, ct)));
        return command;
    }
}
