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
}
