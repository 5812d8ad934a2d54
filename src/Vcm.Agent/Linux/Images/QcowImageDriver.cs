using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vcm.Agent.Linux.Images.Distribution;
using Vcm.Drivers;
using Vcm.Drivers.Images;

namespace Vcm.Agent.Linux.Images;

/// <summary>
/// Keeps images in images/NAME@VERSION/ (<see cref="ImageCache"/>: the store's current version of each image, copied
/// from the site's image store — or from a peer host copying the same image — in checked chunks, see
/// <see cref="ChunkedDownload"/>; older versions stay while a disk uses them) and makes node disks in disks/ as qcow2
/// overlays over the current version's base.qcow2. Images and disks appear under their final names only when complete
/// (written under a dot-name, then renamed), so a crash leaves no half image or disk that a rerun would take for
/// done; an image's partial folder (images/.NAME@VERSION.partial) has a fixed name, so the next attempt resumes it.
/// Every use checks the image's files by their verified stamps (<see cref="VerifiedStamps"/>) and copies a damaged
/// file again.
/// </summary>
public sealed partial class QcowImageDriver : IImageDriver, IImageFileServer
{
    private const int Attempts = 3;
    private static readonly HttpClient SharedHttp = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        // No timeout on a whole request: transfers end only when they stall (ImageTransferOptions.StallWindow).
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly LinuxHostContext _context;
    private readonly HostCommands _host;
    private readonly IImageStore _store;
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    // held while a disk is made over an image folder and while unused folders are removed
    private readonly SemaphoreSlim _cacheLock = new(1, 1);
    private readonly TransferRegistry _transfers = new();
    private readonly ImageFileServer _server;

    public QcowImageDriver(LinuxHostContext context, HttpClient? http = null, ILogger<QcowImageDriver>? logger = null)
    {
        if (context.ImageTransfer.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException("image transfer settings: " + string.Join("; ", problems), nameof(context));
        }

        _context = context;
        _host = new HostCommands(context);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _http = http ?? context.Http ?? SharedHttp;
        _store = context.ImageStore.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || context.ImageStore.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? new HttpImageStore(_http, context.ImageStore, context.AgentKey)
            : new FolderImageStore(context.ImageStore);
        Cache = new ImageCache(ImagesRoot);
        _server = new ImageFileServer(Cache.Current, _transfers, context.ImageTransfer, context.Clock);
    }

    private HostPaths Paths => _context.Paths;

    private ImageTransferOptions Transfer => _context.ImageTransfer;

    private string ImagesRoot => Paths.Images;

    private ImageCache Cache { get; }

    public Task<EnsureOutcome> EnsureImageAsync(string image, CancellationToken cancellationToken) =>
        EnsureImageAsync(image, null, cancellationToken);

    public async Task<EnsureOutcome> EnsureImageAsync(string image, ImagePeer? peer, CancellationToken cancellationToken)
    {
        CheckName(image, "an image");
        if (await IsCurrentAndIntactAsync(image, cancellationToken))
        {
            return EnsureOutcome.Unchanged; // without waiting for another image's copy
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var outcome = await EnsureTreeAsync(image, peer, depth: 0, version: null, cancellationToken);
                    if (outcome != EnsureOutcome.Unchanged)
                    {
                        await CollectAsync(cancellationToken);
                    }

                    return outcome;
                }
                catch (Exception e) when (attempt < Attempts && e is IOException or (DriverException { Terminal: false }))
                {
                    LogFetchRetry(_logger, image, attempt, e.Message);
                    await Task.Delay(TimeSpan.FromSeconds(attempt), _context.Clock, cancellationToken);
                }
            }
        }
        catch (ChunkSourceException e)
        {
            // The store stalled or kept failing: the partial stays, and the next attempt resumes it.
            throw new DriverException(e.Message, e);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<long?> SizeAsync(string image, string file, CancellationToken cancellationToken) =>
        IsValidName(image) && IsValidName(file) ? _server.SizeAsync(image, file, cancellationToken) : Task.FromResult<long?>(null);

    public Task CopyRangeAsync(string image, string file, long offset, long length, Stream destination, CancellationToken cancellationToken) =>
        _server.CopyRangeAsync(image, file, offset, length, destination, cancellationToken);

    public async Task<EnsureOutcome> EnsureDiskAsync(DiskSpec spec, CancellationToken cancellationToken)
    {
        CheckName(spec.Name, "a disk");
        CheckName(spec.Image, "an image");
        var disk = Paths.Disk(spec.Name);
        if (File.Exists(disk))
        {
            return EnsureOutcome.Unchanged;
        }

        await _cacheLock.WaitAsync(cancellationToken);
        try
        {
            return await MakeDiskAsync(spec, disk, cancellationToken);
        }
        finally
        {
            _cacheLock.Release();
        }
    }

    private async Task<EnsureOutcome> MakeDiskAsync(DiskSpec spec, string disk, CancellationToken cancellationToken)
    {
        if (Cache.Current(spec.Image) is not { } folder)
        {
            throw new DriverException($"image {spec.Image} of disk {spec.Name} is not present on {_context.HostName}");
        }

        if (spec.SizeMb <= 0)
        {
            throw new DriverException($"disk {spec.Name} must have a size", terminal: true);
        }

        var imageManifest = ImageManifest.Parse(await File.ReadAllTextAsync(Path.Combine(folder, ImageManifest.FileName), cancellationToken));
        if (imageManifest.MinDiskMb is { } min && spec.SizeMb < min)
        {
            throw new DriverException($"disk {spec.Name} of {spec.SizeMb} MiB is smaller than image {spec.Image}'s file system ({min} MiB); ask for a disk of at least that", terminal: true);
        }

        Directory.CreateDirectory(Paths.Disks);
        var temp = Path.Combine(Paths.Disks, $".{spec.Name}.{Guid.NewGuid():N}.tmp");
        var size = spec.SizeMb.ToString(CultureInfo.InvariantCulture) + "M";
        // the version folder itself, never "current": a newer version of the image changes no disk made before it
        var baseDisk = Path.Combine(folder, "base.qcow2");
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

    public async Task<DeleteOutcome> DeleteDiskAsync(string name, CancellationToken cancellationToken)
    {
        if (!IsValidName(name) || !File.Exists(Paths.Disk(name)))
        {
            return DeleteOutcome.Absent;
        }

        File.Delete(Paths.Disk(name));
        await CollectAsync(cancellationToken);
        return DeleteOutcome.Deleted;
    }

    /// <summary>Removes the image folders that are not current and that no disk uses (an older version's, once its last disk is gone).</summary>
    private async Task CollectAsync(CancellationToken cancellationToken)
    {
        await _cacheLock.WaitAsync(cancellationToken);
        try
        {
            var disks = Directory.Exists(Paths.Disks) ? Directory.EnumerateFiles(Paths.Disks).Where(f => !Path.GetFileName(f).StartsWith('.')).ToList() : [];
            if (Cache.Collect(disks) is { Count: > 0 } removed)
            {
                LogCollected(_logger, _context.HostName, string.Join(", ", removed));
            }
        }
        finally
        {
            _cacheLock.Release();
        }
    }

    public Task<ImageInventory> ListAsync(CancellationToken cancellationToken)
    {
        var images = Cache.Names().Where(IsValidName).ToList();
        var disks = Directory.Exists(Paths.Disks)
            ? Directory.EnumerateFiles(Paths.Disks).Select(Path.GetFileName).OfType<string>().Where(IsValidName).Order(StringComparer.Ordinal).ToList()
            : [];
        return Task.FromResult(new ImageInventory(images, disks));
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
