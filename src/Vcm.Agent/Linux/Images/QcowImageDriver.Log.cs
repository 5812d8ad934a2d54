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

    [LoggerMessage(Level = LogLevel.Information, Message = "host {Host}: {File} of image {Image} copied ({Sources})")]
    private static partial void LogFileCopied(ILogger logger, string host, string image, string file, string sources);

    [LoggerMessage(Level = LogLevel.Warning, Message = "host {Host}: {File} of image {Image} no longer matches its checksum; copying it again")]
    private static partial void LogDamaged(ILogger logger, string host, string image, string file);

    [LoggerMessage(Level = LogLevel.Information, Message = "host {Host}: copying image {Image} stopped; {Partial} is kept for the next attempt")]
    private static partial void LogKeptPartial(ILogger logger, string host, string image, string partial);

    [LoggerMessage(Level = LogLevel.Warning, Message = "host {Host}: the image store did not say which {Image} is current ({Error}); using this host's intact copy")]
    private static partial void LogStoreUnavailable(ILogger logger, string host, string image, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "host {Host}: removed image folders no disk uses: {Folders}")]
    private static partial void LogCollected(ILogger logger, string host, string folders);
}
