using Microsoft.Extensions.Logging;

namespace Vcm.Agent.Linux.Compute;

public sealed partial class QemuComputeDriver
{
    [LoggerMessage(Level = LogLevel.Information, Message = "VM {Vm} started (pid {Pid}, {Accelerator}) in {Seconds:0.00} s")]
    private static partial void LogStarted(ILogger logger, string vm, int pid, string accelerator, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "VM {Vm} did not start: {Error}")]
    private static partial void LogStartFailed(ILogger logger, string vm, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "VM {Vm} stopped (pid {Pid})")]
    private static partial void LogStopped(ILogger logger, string vm, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "VM {Vm} deleted")]
    private static partial void LogDeleted(ILogger logger, string vm);

    [LoggerMessage(Level = LogLevel.Information, Message = "VM {Vm} waits for an incoming migration on {MigrationUri}, its disk exported on {DiskUri}")]
    private static partial void LogIncoming(ILogger logger, string vm, string migrationUri, string diskUri);

    [LoggerMessage(Level = LogLevel.Information, Message = "VM {Vm}'s disk is in sync on {Host}; migrating its memory to {MigrationUri}")]
    private static partial void LogMigrating(ILogger logger, string vm, string host, string migrationUri);

    [LoggerMessage(Level = LogLevel.Information, Message = "VM {Vm} migrated in {TotalMs} ms (paused {DowntimeMs} ms; memory {MemoryBytes} B, disk {DiskBytes} B)")]
    private static partial void LogMigrated(ILogger logger, string vm, long totalMs, long downtimeMs, long memoryBytes, long diskBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "VM {Vm}'s migration failed, it runs here still: {Error}")]
    private static partial void LogMigrationFailed(ILogger logger, string vm, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "VM {Vm} received by migration is an ordinary VM of this host now")]
    private static partial void LogAdopted(ILogger logger, string vm);
}
