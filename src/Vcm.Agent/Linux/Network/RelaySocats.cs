using Microsoft.Extensions.Logging;
using Vcm.Drivers.Processes;

namespace Vcm.Agent.Linux.Network;

/// <summary>
/// The socat of each channel of a relay end, detached inside the end's namespace so it outlives the agent, found and
/// stopped by its PID file and its log's path (which its command line holds), never by name. Restarted when its
/// arguments changed or it died; each connection it takes is served by a forked child.
/// </summary>
internal sealed class RelaySocats(LinuxHostContext context, ILogger logger)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    public static DaemonSpec Spec(RelayLayout layout, string channel, IReadOnlyList<string> addresses) =>
        new("socat", ["-d", "-d", "-lf", layout.Log(channel), .. addresses], layout.Pid(channel), layout.Log(channel), layout.Log(channel))
        {
            Netns = layout.Name,
        };

    /// <summary>
    /// Keeps the socat of <paramref name="channel"/> running with <paramref name="addresses"/> (its two socat addresses)
    /// until <paramref name="ready"/> says it listens; true if it (re)started it.
    /// </summary>
    public async Task<bool> EnsureAsync(RelayLayout layout, string channel, IReadOnlyList<string> addresses, Func<int, bool> ready, string listening, CancellationToken cancellationToken)
    {
        var spec = Spec(layout, channel, addresses);
        var applied = string.Join('\n', spec.Arguments);
        var pid = Daemons.RunningPid(spec);
        if (pid is not null && FileText.ReadOrNull(layout.Applied(channel)) == applied)
        {
            return false;
        }

        if (pid is not null)
        {
            await context.Daemons.StopAsync(spec.PidFile, spec.Marker, StopGrace, cancellationToken);
        }

        // a socket left by a dead socat would look like the new one listening
        FileText.DeleteIfExists(layout.Socket(channel));
        var started = await context.Daemons.StartAsync(spec, cancellationToken);
        LinuxNetworkDriverLog.RelayDaemonStarted(logger, layout.Name, channel, started);
        await context.Daemons.WaitUntilReadyAsync(
            spec, started, ready, StartTimeout, $"socat of relay end {layout.Name} ({channel})", $"does not listen on {listening}", cancellationToken);
        await FileText.WriteIfChangedAsync(layout.Applied(channel), applied, cancellationToken);
        return true;
    }

    /// <summary>Stops the socat of each channel by its PID file; true if any was running.</summary>
    public async Task<bool> StopAsync(RelayLayout layout, CancellationToken cancellationToken)
    {
        var stopped = false;
        foreach (var channel in RelayLayout.Channels)
        {
            stopped |= File.Exists(layout.Pid(channel)) && await context.Daemons.StopAsync(layout.Pid(channel), layout.Log(channel), StopGrace, cancellationToken);
        }

        return stopped;
    }
}
