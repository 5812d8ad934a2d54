using System.CommandLine;
using Vcm.Api;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Keys;

/// <summary>vcm key list</summary>
public static class KeyListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "Your SSH public keys.");
        command.SetAction(async (cli, ct) =>
        {
            var keys = await cli.Client().ListKeysAsync(ct);
            if (cli.Json)
            {
                cli.WriteJson(keys);
            }
            else
            {
                Write(keys);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    internal static void Write(IReadOnlyList<UserKeyView> keys) =>
        Table.Write(["name", "fingerprint", "type", "added"], keys.Select(k => new[]
        {
            k.Name, k.Fingerprint, k.PublicKey.Split(' ')[0], k.CreatedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture),
        }));
}
