using System.Diagnostics;
using System.IO.Compression;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vcm.Drivers;
using Vcm.Drivers.Processes;

namespace Vcm.Agent.Linux.Images.Micro;

/// <summary>
/// Builds the `micro` image into a folder from Debian packages: vmlinuz (the current cloud kernel), initrd.gz
/// (busybox, the virtio modules, dropbear with exactly the libraries it loads, the guest scripts) and
/// manifest.json. Reproducible: the same packages give byte-identical files. The manifest is written last, so a
/// folder with a manifest holds a whole image.
/// </summary>
public sealed partial class MicroImageBuilder(MicroImageOptions options, IProcessRunner runner, ILogger<MicroImageBuilder>? logger = null)
{
    public const string ImageName = "micro";

    /// <summary>Bump when the image's layout or scripts change meaning.</summary>
    public const string BuilderVersion = "8";

    public const string KernelFile = "vmlinuz";

    public const string InitrdFile = "initrd.gz";

    /// <summary>The base disk node disks are copy-on-write overlays of (empty: the guest runs from its initramfs).</summary>
    public const string BaseDiskFile = "base.qcow2";

    public const long BaseDiskMb = 64;

    private readonly ILogger _logger = logger ?? NullLogger<MicroImageBuilder>.Instance;

    /// <summary>
    /// Builds the image into <paramref name="outputDirectory"/> (made if missing; files there are replaced). When apt
    /// cannot find or fetch a package and <see cref="MicroImageOptions.UpdatePackageIndex"/> allows, the package index
    /// is updated (apt-get update) and the build tried once more.
    /// </summary>
    public async Task<MicroImageManifest> BuildAsync(string outputDirectory, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var archive = new DebianArchive(options.CacheDirectory, runner, _logger);
        MicroImageManifest manifest;
        try
        {
            manifest = await BuildOnceAsync(archive, outputDirectory, cancellationToken);
        }
        catch (Exception e) when (options.UpdatePackageIndex && e is ProcessFailedException or DriverException { Terminal: false })
        {
            LogUpdatingIndex(_logger, e.Message);
            await archive.UpdateIndexAsync(cancellationToken);
            manifest = await BuildOnceAsync(archive, outputDirectory, cancellationToken);
        }

        LogBuilt(_logger, outputDirectory, manifest.KernelRelease, manifest.Files.Single(f => f.Name == InitrdFile).Size, Stopwatch.GetElapsedTime(started).TotalSeconds);
        return manifest;
    }

    private async Task<MicroImageManifest> BuildOnceAsync(DebianArchive archive, string outputDirectory, CancellationToken cancellationToken)
    {
        var graph = await archive.DependenciesAsync([options.KernelMetapackage, options.SshPackage], cancellationToken);
        var kernelPackage = graph.Direct(options.KernelMetapackage).FirstOrDefault(p => p.StartsWith("linux-image-", StringComparison.Ordinal))
            ?? throw new DriverException($"{options.KernelMetapackage} depends on no linux-image-* package; is the package index current (apt-get update)?");
        var packages = await archive.FetchAsync([kernelPackage, options.BusyboxPackage, options.SshPackage, .. graph.Closure(options.SshPackage)], cancellationToken);
        var (kernel, busybox, ssh) = (packages[0], packages[1], packages.Skip(2).ToList());

        var modules = KernelModules.Load(kernel);
        var initramfs = new Initramfs();
        var order = AddModules(initramfs, modules);
        new SharedLibraries([busybox]).Add(initramfs, ["/bin/busybox"]);
        var sshUsed = new SharedLibraries(ssh).Add(initramfs, options.SshPrograms);
        GuestSystem.Add(initramfs, order, modules.Release);

        Directory.CreateDirectory(outputDirectory);
        // a folder with a manifest holds a whole image: the old manifest goes before any file is replaced
        File.Delete(Path.Combine(outputDirectory, MicroImageManifest.FileName));
        var vmlinuz = await ImageFiles.WriteAsync(outputDirectory, KernelFile, s => ImageFiles.CopyAsync(kernel.Local($"/boot/vmlinuz-{modules.Release}"), s, cancellationToken), cancellationToken);
        var initrd = await ImageFiles.WriteAsync(outputDirectory, InitrdFile, s => CompressAsync(initramfs, s, cancellationToken), cancellationToken);
        var baseDisk = await BaseDiskAsync(outputDirectory, cancellationToken);
        var manifest = new MicroImageManifest(
            ImageName,
            BuilderVersion,
            modules.Release,
            [vmlinuz, initrd, baseDisk],
            new[] { kernel, busybox }.Concat(sshUsed).Select(p => new MicroImagePackage(p.Name, p.Version)).OrderBy(p => p.Name, StringComparer.Ordinal).ToList());
        await ImageFiles.WriteAsync(outputDirectory, MicroImageManifest.FileName, s => s.WriteAsync(System.Text.Encoding.UTF8.GetBytes(manifest.ToJson()), cancellationToken).AsTask(), cancellationToken);
        return manifest;
    }

    /// <summary>An empty qcow2 made by qemu-img (its header holds no time or id, so it is the same every time).</summary>
    private async Task<MicroImageFile> BaseDiskAsync(string directory, CancellationToken cancellationToken)
    {
        var scratch = Path.Combine(directory, $".{BaseDiskFile}.{Guid.NewGuid():N}.tmp");
        try
        {
            (await runner.RunAsync(ProcessSpec.Of("qemu-img", "create", "-q", "-f", "qcow2", scratch, $"{BaseDiskMb}M"), cancellationToken)).EnsureSuccess();
            return await ImageFiles.WriteAsync(directory, BaseDiskFile, async s =>
            {
                await using var input = File.OpenRead(scratch);
                await input.CopyToAsync(s, cancellationToken);
            }, cancellationToken);
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    private IReadOnlyList<KernelModule> AddModules(Initramfs initramfs, KernelModules modules)
    {
        var order = modules.LoadOrder(options.Modules);
        foreach (var module in order)
        {
            initramfs.AddFile($"lib/modules/{module.Name}.ko", File.ReadAllBytes(module.File), 0x1A4);
        }

        return order;
    }

    /// <summary>The cpio archive, gzipped; zlib's output depends only on its input and level, and the gzip header has no time.</summary>
    private static async Task CompressAsync(Initramfs initramfs, Stream destination, CancellationToken cancellationToken)
    {
        using var cpio = new MemoryStream();
        initramfs.WriteCpio(cpio);
        cpio.Position = 0;
        await using var gzip = new GZipStream(destination, CompressionLevel.SmallestSize, leaveOpen: true);
        await cpio.CopyToAsync(gzip, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "apt could not give the micro image's packages ({Error}); updating the package index and trying again")]
    private static partial void LogUpdatingIndex(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "micro image built in {Directory}: kernel {Kernel}, initrd {Bytes} bytes, {Seconds:0.0} s")]
    private static partial void LogBuilt(ILogger logger, string directory, string kernel, long bytes, double seconds);
}
