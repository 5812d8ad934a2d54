using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Users;

/// <summary>vcm user show NAME</summary>
public static class UserShowCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The user." };
        var command = new Command("show", "One user.") { name };
        command.SetAction(async (cli, ct) => UserPrinter.Print(cli, await cli.Client().GetUserAsync(cli.Get(name)!, ct)));
        return command;
    }
}
