using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Keys;

/// <summary>vcm key remove NAME|FINGERPRINT</summary>
public static class KeyRemoveCommand
{
    public static Command Create()
    {
        var key = new Argument<string>("key") { Description = "The key's name or fingerprint (SHA256:…)." };
        var command = new Command("remove", "Remove one of your keys (clusters made already keep it).") { key };
        command.SetAction(async (cli, ct) =>
        {
            var which = cli.Get(key)!;
            await cli.Client().RemoveKeyAsync(which, ct);
            if (cli.Json)
            {
                cli.WriteJson(new { key = which, removed = true });
            }
            else
            {
                Console.Out.WriteLine($"key {which} is removed");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
