using System.CommandLine;
using Vcm.Api;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Keys;

/// <summary>vcm key add FILE [--name N]</summary>
public static class KeyAddCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A public key file, like ~/.ssh/id_ed25519.pub (every key in it)." };
        var name = new Option<string?>("--name") { Description = "The key's name (default: its comment, else its fingerprint)." };
        var command = new Command("add", "Register your SSH public keys.") { file, name };
        command.SetAction(async (cli, ct) =>
        {
            var lines = KeyFiles.Read([cli.Get(file)!]);
            if (lines.Count == 0)
            {
                throw new CliException($"{cli.Get(file)} holds no key.", ExitCodes.Usage);
            }

            if (lines.Count > 1 && cli.Get(name) is not null)
            {
                throw new CliException($"{cli.Get(file)} holds {lines.Count} keys; --name names one.", ExitCodes.Usage);
            }

            var added = new List<UserKeyView>();
            foreach (var line in lines)
            {
                added.Add(await cli.Client().AddKeyAsync(new KeyAddRequest(line, cli.Get(name)), ct));
            }

            if (cli.Json)
            {
                cli.WriteJson(added);
            }
            else
            {
                KeyListCommand.Write(added);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
