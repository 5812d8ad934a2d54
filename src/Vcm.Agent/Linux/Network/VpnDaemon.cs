using Microsoft.Extensions.Logging;
using Vcm.Drivers;
using Vcm.Drivers.Network;
using Vcm.Drivers.Processes;

namespace Vcm.Agent.Linux.Network;

/// <summary>
/// The openvpn of one VPN end, detached in the host's namespace so it outlives the agent, found and stopped by its PID
/// file and the marker in its command line, never by name. It counts as up once its UDP socket is bound.
/// </summary>
internal sealed class VpnDaemon(LinuxHostContext context, ILogger logger)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    public DaemonSpec Spec(VpnLayout layout) =>
        new("openvpn", ["--config", layout.Config], layout.Pid, layout.Log, layout.Marker) { Netns = context.Netns };

    /// <summary>
    /// Keeps openvpn running with the current files: started when it is not running (never started, or died), restarted
    /// when the files changed since it was started (<paramref name="files"/> is their hash). True if it did either.
    /// </summary>
    public async Task<bool> EnsureAsync(VpnSpec spec, VpnLayout layout, string local, string files, CancellationToken cancellationToken)
    {
        var daemon = Spec(layout);
        var pid = Daemons.RunningPid(daemon);
        if (pid is not null && FileText.ReadOrNull(layout.Applied) == files)
        {
            return false;
        }

        if (pid is not null)
        {
            await context.Daemons.StopAsync(daemon.PidFile, daemon.Marker, StopGrace, cancellationToken);
        }

        var started = await context.Daemons.StartAsync(daemon, cancellationToken);
        LinuxNetworkDriverLog.VpnDaemonStarted(logger, spec.Name, started);
        await context.Daemons.WaitUntilReadyAsync(
            daemon, started, p => SocketTable.UdpBound(p, local, spec.Port), StartTimeout,
            $"openvpn of VPN end {spec.Name}", $"does not listen on {local}:{spec.Port}", cancellationToken);
        await FileText.WriteIfChangedAsync(layout.Applied, files, cancellationToken);
        return true;
    }

    /// <summary>Starts openvpn again with the files it has if it is not running; true if it did.</summary>
    public async Task<bool> ReviveAsync(VpnLayout layout, CancellationToken cancellationToken)
    {
        var daemon = Spec(layout);
        if (Daemons.RunningPid(daemon) is not null)
        {
            return false;
        }

        var started = await context.Daemons.StartAsync(daemon, cancellationToken);
        LinuxNetworkDriverLog.VpnDaemonStarted(logger, layout.Name, started);
        return true;
    }

    /// <summary>Stops openvpn by its PID file; true if it was running. A dead one only loses its PID file.</summary>
    public Task<bool> StopAsync(VpnLayout layout, CancellationToken cancellationToken) =>
        context.Daemons.StopAsync(layout.Pid, layout.Marker, StopGrace, cancellationToken);
}
