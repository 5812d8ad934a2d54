using Microsoft.Extensions.Logging;

namespace Vcm.Agent.Linux.Storage;

public sealed partial class TgtStorageDriver
{
    [LoggerMessage(Level = LogLevel.Information, Message = "tgtd on {Host} started (pid {Pid}, control port {ControlPort}, portal {Portal})")]
    private static partial void LogTgtdStarted(ILogger logger, string host, int pid, int controlPort, string portal);

    [LoggerMessage(Level = LogLevel.Information, Message = "volume {Volume} exported again after a tgtd start")]
    private static partial void LogRestored(ILogger logger, string volume);

    [LoggerMessage(Level = LogLevel.Information, Message = "volume {Volume} {Outcome}; ACL: {Initiators}")]
    private static partial void LogExported(ILogger logger, string volume, string outcome, string initiators);

    [LoggerMessage(Level = LogLevel.Information, Message = "volume {Volume} deleted")]
    private static partial void LogDeleted(ILogger logger, string volume);

    [LoggerMessage(Level = LogLevel.Information, Message = "tgtd on {Host} stopped (pid {Pid})")]
    private static partial void LogStopped(ILogger logger, string host, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "stopping tgtd on {Host} cleanly failed, signalling it: {Error}")]
    private static partial void LogStopProblem(ILogger logger, string host, string error);
}
