using System.Diagnostics;
using Vcm.Agent.Linux.Images.Micro;
using Vcm.Drivers.Processes;

namespace Vcm.Cli.Infrastructure;

/// <summary>The site's image store as `vcm up` prepares it: the micro image is built into it when missing or damaged.</summary>
public static class ImageStore
{
    public static async Task EnsureMicroAsync(IProcessRunner runner, string directory, Action<string> say, CancellationToken cancellationToken)
    {
        var target = Path.Combine(directory, MicroImageBuilder.ImageName);
        var manifest = await MicroImageManifest.ReadAsync(target, cancellationToken);
        if (manifest is not null && manifest.BuilderVersion == MicroImageBuilder.BuilderVersion
            && (await manifest.DamagedFilesAsync(target, cancellationToken)).Count == 0)
        {
            return;
        }

        say("building the micro image from Debian packages (a kernel, busybox, dropbear)…");
        var started = Stopwatch.GetTimestamp();
        var builder = new MicroImageBuilder(new MicroImageOptions { CacheDirectory = Path.Combine(directory, ".cache") }, runner);
        var built = await builder.BuildAsync(target, cancellationToken);
        say($"micro image built in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s: kernel {built.KernelRelease}, " +
            string.Join(", ", built.Files.Select(f => $"{f.Name} {f.Sha256[..12]}")));
    }
}
