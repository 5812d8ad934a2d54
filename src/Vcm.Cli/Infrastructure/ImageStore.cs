using System.Diagnostics;
using Vcm.Agent.Linux.Images.Debian;
using Vcm.Agent.Linux.Images.Micro;
using Vcm.Drivers.Processes;

namespace Vcm.Cli.Infrastructure;

/// <summary>
/// The site's image store as `vcm up` and `vcm image build` prepare it: micro and the Debian images are built into
/// it when missing, damaged or made by an older builder.
/// </summary>
public static class ImageStore
{
    /// <summary>The images vcm builds itself.</summary>
    public static IReadOnlyList<string> Buildable { get; } = [MicroImageBuilder.ImageName, .. DebianImageBuilder.Suites.Keys];

    public static async Task EnsureAsync(IProcessRunner runner, string directory, Action<string> say, CancellationToken cancellationToken)
    {
        foreach (var image in Buildable)
        {
            if (!await IsCurrentAsync(directory, image, cancellationToken))
            {
                var started = Stopwatch.GetTimestamp();
                var built = await BuildAsync(runner, directory, image, say, cancellationToken);
                say($"{image} image built in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s: kernel {built.KernelRelease}, " +
                    string.Join(", ", built.Files.Select(f => $"{f.Name} {f.Sha256[..12]}")));
            }
        }
    }

    /// <summary>Builds an image into the store, replacing what is there.</summary>
    public static async Task<MicroImageManifest> BuildAsync(IProcessRunner runner, string directory, string image, Action<string> say, CancellationToken cancellationToken)
    {
        var cache = Path.Combine(directory, ".cache");
        if (image == MicroImageBuilder.ImageName)
        {
            say("building the micro image from Debian packages (a kernel, busybox, dropbear)…");
            var builder = new MicroImageBuilder(new MicroImageOptions { CacheDirectory = cache }, runner);
            return await builder.BuildAsync(Path.Combine(directory, image), cancellationToken);
        }

        say($"building the {image} image (a minimal Debian with an SSH server and vcm's guest side)…");
        return await new DebianImageBuilder(new DebianImageOptions { CacheDirectory = cache }, runner).BuildAsync(directory, image, say, cancellationToken);
    }

    private static async Task<bool> IsCurrentAsync(string directory, string image, CancellationToken cancellationToken)
    {
        var target = Path.Combine(directory, image);
        var manifest = await MicroImageManifest.ReadAsync(target, cancellationToken);
        var version = image == MicroImageBuilder.ImageName ? MicroImageBuilder.BuilderVersion : DebianImageBuilder.BuilderVersion;
        return manifest is not null && manifest.BuilderVersion == version && (await manifest.DamagedFilesAsync(target, cancellationToken)).Count == 0;
    }
}
