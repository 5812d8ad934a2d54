using System.CommandLine;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Images;

public static class ImageCommand
{
    public static Command Create(CliServices services) => new("image", "The site's images and package-set layers.")
    {
        ImageBuildCommand.Create(services),
        ImageListCommand.Create(),
        ImageRemoveCommand.Create(),
    };
}
