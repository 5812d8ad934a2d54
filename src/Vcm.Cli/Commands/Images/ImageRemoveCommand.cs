using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Images;

/// <summary>vcm image rm LAYER</summary>
public static class ImageRemoveCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The layer to remove (as `vcm image list` names it)." };
        var command = new Command("rm", "Remove a package-set layer from the site's store (refused while a live cluster boots from it).") { name };
        command.SetAction(async (cli, ct) =>
        {
            var removed = await cli.Client().RemoveImageAsync(cli.Get(name)!, ct);
            if (cli.Json)
            {
                cli.WriteJson(removed);
            }
            else
            {
                Console.Out.WriteLine($"layer {removed.Name} removed ({removed.SizeBytes / (1024.0 * 1024):0} MiB; {removed.Clusters} cluster(s) had booted from it)");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
