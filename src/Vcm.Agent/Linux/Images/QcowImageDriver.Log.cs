using Microsoft.Extensions.Logging;

namespace Vcm.Agent.Linux.Images;

public sealed partial class QcowImageDriver
{
    [LoggerMessage(Level = LogLevel.Information, Message = "image {Image} fetched: {Files} files, {Bytes} bytes")]
    private static partial void LogImageFetched(ILogger logger, string image, int files, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "fetching image {Image} failed (attempt {Attempt}), retrying: {Error}")]
    private static partial void LogFetchRetry(ILogger logger, string image, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "disk {Disk} made over image {Image} ({SizeMb} MB)")]
    private static partial void LogDiskMade(ILogger logger, string disk, string image, long sizeMb);
}
