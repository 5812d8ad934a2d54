using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Users;

/// <summary>vcm user remove NAME</summary>
public static class UserRemoveCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The user." };
        var command = new Command("remove", "Remove a user with its keys and tokens; its clusters stay its tenant's.") { name };
        command.SetAction(async (cli, ct) =>
        {
            var user = cli.Get(name)!;
            await cli.Client().RemoveUserAsync(user, ct);
            if (cli.Json)
            {
                cli.WriteJson(new { user, removed = true });
            }
            else
            {
                Console.Out.WriteLine($"user {user} is removed; its tokens no longer work");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
