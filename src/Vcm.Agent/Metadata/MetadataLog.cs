using Microsoft.Extensions.Logging;

namespace Vcm.Agent.Metadata;

/// <summary>The metadata service's log lines.</summary>
public static partial class MetadataLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Path} from {Remote} node {Node}: {Status} in {Milliseconds:0.0} ms{Reason}")]
    public static partial void Request(ILogger logger, string method, string path, string remote, string node, int status, double milliseconds, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "phone-home from {Node}: hostname {Hostname}, ip {Ip}, uptime {Uptime} s, script rc {ScriptRc}, host key {Fingerprint}")]
    public static partial void PhoneHome(ILogger logger, string node, string hostname, string ip, double uptime, string scriptRc, string fingerprint);
}
