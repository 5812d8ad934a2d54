using Vcm.Drivers;

namespace Vcm.Agent.Linux.Images.Distribution;

/// <summary>A host's disk when images are copied onto it: how much is free, and the one error for a full disk.</summary>
internal static class DiskSpace
{
    private const int Enospc = 28;

    /// <summary>Whether an I/O error says the file system is full (ENOSPC, or Windows' ERROR_DISK_FULL).</summary>
    public static bool IsFull(IOException e) =>
        e.HResult is Enospc or unchecked((int)0x80070070) || e.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase);

    public static long Free(string folder, ImageTransferOptions options) =>
        options.FreeSpace?.Invoke(folder) ?? new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace;

    /// <summary>The one sentence for a full disk, naming the host and what the image needs.</summary>
    public static DriverException Full(string host, string folder, string image, DiskFullException full) =>
        new(full.Free is { } f
            ? $"host {host} cannot hold image {image}: it needs {Mib(full.Remaining)} MiB more in {folder}, which has {Mib(f)} MiB free"
            : $"host {host} ran out of disk space in {folder} while copying image {image}, which needs {Mib(full.Remaining)} MiB more; nothing of it was kept",
            full);

    private static long Mib(long bytes) => (bytes + (1 << 20) - 1) >> 20;
}
