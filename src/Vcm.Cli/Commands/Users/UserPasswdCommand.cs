using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Users;

/// <summary>vcm user passwd NAME [--remove]: sets a user's password for `vcm login --user` (read from standard input, never an argument).</summary>
public static class UserPasswdCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The user: yourself, or one you manage." };
        var remove = new Option<bool>("--remove") { Description = "Remove the password: the user then signs in with API tokens only." };
        var command = new Command("passwd", "Set a user's password for signing in with `vcm login --user` (read from standard input, or typed without echo).") { name, remove };
        command.SetAction(async (cli, ct) =>
        {
            var user = cli.Get(name)!;
            string? password = null;
            if (!cli.Get(remove))
            {
                password = await SecretInput.ReadAsync($"new password for {user}: ", ct);
                if (string.IsNullOrEmpty(password))
                {
                    throw new CliException("No password was given; pipe it in or type it at the prompt.", ExitCodes.Usage);
                }
            }

            await cli.Client().SetPasswordAsync(user, password, ct);
            if (cli.Json)
            {
                cli.WriteJson(new { user, password = password is null ? "removed" : "set" });
            }
            else
            {
                Console.Out.WriteLine(password is null ? $"{user} has no password now" : $"password of {user} set");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
