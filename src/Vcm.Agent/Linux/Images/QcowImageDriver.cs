using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vcm.Drivers;
using Vcm.Drivers.Images;

namespace Vcm.Agent.Linux.Images;

/// <summary>
/// Keeps base images in images/NAME/ (copied from the site's image store, every file checked against the manifest's
/// SHA-256) and makes node disks in disks/ as qcow2 overlays over the image's base.qcow2. Images and disks appear
/// under their final names only when complete (written under a dot-name, then renamed), so a crash leaves no half
/// image or disk that a rerun would take for done.
/// </summary>
public sealed partial class QcowImageDriver : IImageDriver
{
    private const int Attempts = 3;
    private static readonly HttpClient SharedHttp = new() { Timeout = TimeSpan.FromMinutes(30) };

    private readonly LinuxHostContext _context;
    private readonly HostCommands _host;
    private readonly IImageStore _store;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public QcowImageDriver(LinuxHostContext context, HttpClient? http = null, ILogger<QcowImageDriver>? logger = null)
    {
        _context = context;
        _host = new HostCommands(context);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _store = context.ImageStore.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || context.ImageStore.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? new HttpImageStore(http ?? SharedHttp, context.ImageStore, context.AgentKey)
            : new FolderImageStore(context.ImageStore);
    }

    private HostPaths Paths => _context.Paths;

    private string ImagesRoot => Path.Combine(Paths.Root, "images");

    public async Task<EnsureOutcome> EnsureImageAsync(string image, CancellationToken cancellationToken)
    {
        CheckName(image, "an image");
        if (IsPresent(image))
        {
            return EnsureOutcome.Unchanged;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (IsPresent(image))
            {
                return EnsureOutcome.Unchanged;
            }

            for (var attempt = 1; ; attempt++)
            {
                if (IsPresent(image))
                {
                    return EnsureOutcome.Unchanged;
                }

                try
                {
                    await FetchAsync(image, depth: 0, cancellationToken);
                    return EnsureOutcome.Created;
                }
                catch (Exception e) when (attempt < Attempts && e is IOException or (DriverException { Terminal: false }))
                {
                    LogFetchRetry(_logger, image, attempt, e.Message);
                    await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<EnsureOutcome> EnsureDiskAsync(DiskSpec spec, CancellationToken cancellationToken)
    {
        CheckName(spec.Name, "a disk");
        CheckName(spec.Image, "an image");
        var disk = Paths.Disk(spec.Name);
        if (File.Exists(disk))
        {
            return EnsureOutcome.Unchanged;
        }

        if (!IsPresent(spec.Image))
        {
            throw new DriverException($"image {spec.Image} of disk {spec.Name} is not present on {_context.HostName}");
        }

        if (spec.SizeMb <= 0)
        {
            throw new DriverException($"disk {spec.Name} must have a size", terminal: true);
        }

        var imageManifest = ImageManifest.Parse(await File.ReadAllTextAsync(Path.Combine(Paths.Image(spec.Image), ImageManifest.FileName), cancellationToken));
        if (imageManifest.MinDiskMb is { } min && spec.SizeMb < min)
        {
            throw new DriverException($"disk {spec.Name} of {spec.SizeMb} MiB is smaller than image {spec.Image}'s file system ({min} MiB); ask for a disk of at least that", terminal: true);
        }

        Directory.CreateDirectory(Paths.Disks);
        var temp = Path.Combine(Paths.Disks, $".{spec.Name}.{Guid.NewGuid():N}.tmp");
        var size = spec.SizeMb.ToString(CultureInfo.InvariantCulture) + "M";
        var baseDisk = Path.Combine(Paths.Image(spec.Image), "base.qcow2");
        IReadOnlyList<string> args = File.Exists(baseDisk)
            ? ["create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", baseDisk, temp, size]
            : ["create", "-q", "-f", "qcow2", temp, size];
        try
        {
            HostCommands.Check(await _host.RunLocalAsync("qemu-img", args, cancellationToken), $"making disk {spec.Name}");
            File.Move(temp, disk, overwrite: false);
        }
        catch (IOException) when (File.Exists(disk))
        {
            return EnsureOutcome.Unchanged;
        }
        finally
        {
            File.Delete(temp);
        }

        LogDiskMade(_logger, spec.Name, spec.Image, spec.SizeMb);
        return EnsureOutcome.Created;
    }

    public Task<DeleteOutcome> DeleteDiskAsync(string name, CancellationToken cancellationToken)
    {
        if (!IsValidName(name) || !File.Exists(Paths.Disk(name)))
        {
            return Task.FromResult(DeleteOutcome.Absent);
        }

        File.Delete(Paths.Disk(name));
        return Task.FromResult(DeleteOutcome.Deleted);
    }

    public Task<ImageInventory> ListAsync(CancellationToken cancellationToken)
    {
        var images = Directory.Exists(ImagesRoot)
            ? Directory.EnumerateDirectories(ImagesRoot).Select(Path.GetFileName).OfType<string>().Where(n => IsValidName(n) && IsPresent(n)).Order(StringComparer.Ordinal).ToList()
            : [];
        var disks = Directory.Exists(Paths.Disks)
            ? Directory.EnumerateFiles(Paths.Disks).Select(Path.GetFileName).OfType<string>().Where(IsValidName).Order(StringComparer.Ordinal).ToList()
            : [];
        return Task.FromResult(new ImageInventory(images, disks));
    }

    /// <summary>An image is present once its folder (renamed into place complete) holds its manifest.</summary>
    private bool IsPresent(string image) => File.Exists(Path.Combine(Paths.Image(image), ImageManifest.FileName));

    /// <summary>Copies the image into a dot-folder, checks every file, then renames the folder into place.</summary>
    private async Task FetchAsync(string image, int depth, CancellationToken cancellationToken)
    {
        var manifestJson = await _store.ManifestAsync(image, cancellationToken);
        ImageManifest manifest;
        try
        {
            manifest = ImageManifest.Parse(manifestJson);
        }
        catch (FormatException e)
        {
            throw new DriverException($"image {image}: {e.Message}", terminal: true, e);
        }

        if (manifest.Parent is { } parent)
        {
            // A layer: its base.qcow2 is backed by ../PARENT/base.qcow2, which must be the very file it was built over.
            CheckName(parent, "an image");
            if (depth > 8)
            {
                throw new DriverException($"image {image} has more than 8 parents", terminal: true);
            }

            if (!IsPresent(parent))
            {
                await FetchAsync(parent, depth + 1, cancellationToken);
            }

            var here = ImageManifest.Parse(await File.ReadAllTextAsync(Path.Combine(Paths.Image(parent), ImageManifest.FileName), cancellationToken));
            if (!here.Files.TryGetValue("base.qcow2", out var parentDisk) || !string.Equals(parentDisk.Sha256, manifest.ParentSha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new DriverException($"layer {image} was built over another {parent} than the one on {_context.HostName}; rebuild the layer", terminal: true);
            }
        }

        Directory.CreateDirectory(ImagesRoot);
        var temp = Path.Combine(ImagesRoot, $".{image}.{Guid.NewGuid():N}.partial");
        Directory.CreateDirectory(temp);
        try
        {
            long bytes = 0;
            foreach (var (file, expected) in manifest.Files)
            {
                await FetchFileAsync(image, file, expected, Path.Combine(temp, file), cancellationToken);
                bytes += expected.Size;
            }

            await File.WriteAllTextAsync(Path.Combine(temp, ImageManifest.FileName), manifestJson, cancellationToken);
            Directory.Move(temp, Paths.Image(image));
            LogImageFetched(_logger, image, manifest.Files.Count, bytes);
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    private async Task FetchFileAsync(string image, string file, ImageManifestFile expected, string destination, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var output = new HashingStream(new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true), hash))
        {
            await _store.CopyFileAsync(image, file, output, cancellationToken);
        }

        var size = new FileInfo(destination).Length;
        var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (size != expected.Size || !string.Equals(sha, expected.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new DriverException($"{file} of image {image} does not match its manifest: {size} bytes, sha256 {sha}; expected {expected.Size} bytes, sha256 {expected.Sha256}");
        }
    }

    private static bool IsValidName(string name) =>
        name.Length is > 0 and <= 100 && name[0] != '.' && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static void CheckName(string name, string what)
    {
        if (!IsValidName(name))
        {
            throw new DriverException($"'{name}' cannot be the name of {what} (letters, digits, '-', '_', '.'; not starting with '.')", terminal: true);
        }
    }
}
