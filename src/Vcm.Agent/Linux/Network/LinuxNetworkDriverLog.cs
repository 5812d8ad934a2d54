using Microsoft.Extensions.Logging;
using Vcm.Drivers;

namespace Vcm.Agent.Linux.Network;

/// <summary>What the Linux network driver logs.</summary>
internal static partial class LinuxNetworkDriverLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "segment {Bridge}: {Outcome}")]
    public static partial void SegmentEnsured(ILogger logger, string bridge, EnsureOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "segment {Bridge}: deleted")]
    public static partial void SegmentDeleted(ILogger logger, string bridge);

    [LoggerMessage(Level = LogLevel.Information, Message = "gateway {Gateway}: {Outcome}")]
    public static partial void GatewayEnsured(ILogger logger, string gateway, EnsureOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "gateway {Gateway}: deleted")]
    public static partial void GatewayDeleted(ILogger logger, string gateway);

    [LoggerMessage(Level = LogLevel.Information, Message = "gateway {Gateway}: started {Daemon} (pid {Pid})")]
    public static partial void DaemonStarted(ILogger logger, string gateway, string daemon, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "VPN end {Vpn}: {Outcome}")]
    public static partial void VpnEnsured(ILogger logger, string vpn, EnsureOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "VPN end {Vpn}: deleted")]
    public static partial void VpnDeleted(ILogger logger, string vpn);

    [LoggerMessage(Level = LogLevel.Information, Message = "VPN end {Vpn}: started openvpn (pid {Pid})")]
    public static partial void VpnDaemonStarted(ILogger logger, string vpn, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "migration relay end {Relay}: {Outcome}")]
    public static partial void RelayEnsured(ILogger logger, string relay, EnsureOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "migration relay end {Relay}: deleted")]
    public static partial void RelayDeleted(ILogger logger, string relay);

    [LoggerMessage(Level = LogLevel.Information, Message = "migration relay end {Relay}: started socat for the {Channel} (pid {Pid})")]
    public static partial void RelayDaemonStarted(ILogger logger, string relay, string channel, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Operation} {Target} failed (attempt {Attempt}), retrying: {Error}")]
    public static partial void Retrying(ILogger logger, string operation, string target, int attempt, string error);
}
