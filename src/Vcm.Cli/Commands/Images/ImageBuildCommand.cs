using System.CommandLine;
using System.Diagnostics;
using Vcm.Agent.Linux.Images.Debian;
using Vcm.Cli.Commands.Processes;
using Vcm.Cli.Infrastructure;

namespace Vcm.Cli.Commands.Images;

/// <summary>vcm image build NAME: builds an image into this site's image store, here, from Debian's archive.</summary>
public static class ImageBuildCommand
{
    public static Command Create(CliServices services)
    {
        var name = new Argument<string>("name") { Description = $"The image to build: {string.Join(", ", ImageStore.Buildable)}." };
        var command = new Command("build", "Build an image into this site's image store (from the Debian archive this machine's apt uses; needs root).")
        {
            name, ManagerCommand.Data, ManagerCommand.Images,
        };
        command.SetAction(async (cli, ct) =>
        {
            var image = cli.Get(name)!;
            if (!ImageStore.Buildable.Contains(image))
            {
                throw new CliException($"vcm builds no image named '{image}'; it builds {string.Join(", ", ImageStore.Buildable)}.", ExitCodes.Usage);
            }

            var store = cli.Get(ManagerCommand.Images) is { } images
                ? Path.GetFullPath(images)
                : Path.Combine(cli.Get(ManagerCommand.Data) is { } data ? Path.GetFullPath(data) : CliPaths.DefaultDataDirectory(), "images");
            var started = Stopwatch.GetTimestamp();
            var manifest = await ImageStore.BuildAsync(services.Runner, store, image, line => (cli.Json ? Console.Error : Console.Out).WriteLine(line), ct);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (cli.Json)
            {
                cli.WriteJson(new
                {
                    image = manifest.Image,
                    directory = Path.Combine(store, manifest.Image),
                    builder = manifest.BuilderVersion,
                    kernel = manifest.KernelRelease,
                    seconds = Math.Round(seconds, 1),
                    files = manifest.Files,
                    packages = manifest.Packages.Count,
                });
            }
            else
            {
                Console.Out.WriteLine($"{manifest.Image} built in {seconds:0} s: kernel {manifest.KernelRelease}, {manifest.Packages.Count} packages, " +
                    string.Join(", ", manifest.Files.Select(f => $"{f.Name} {f.Size / (1024.0 * 1024):0.#} MiB")));
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
