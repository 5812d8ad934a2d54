using System.Globalization;
using Microsoft.Extensions.Logging;
using Vcm.Drivers;
using Vcm.Drivers.Processes;

namespace Vcm.Agent.Linux.Network;

/// <summary>
/// The gateway's two daemons inside its namespace, detached so they outlive the agent: dnsmasq (DHCP + DNS) and the
/// metadata service (<c>vcm metadata</c>). Each is found and stopped by its PID file, never by name. A daemon counts
/// as up once it listens (dnsmasq: DNS on the gateway address and DHCP; metadata: port 80 on the gateway address).
/// </summary>
internal sealed class GatewayDaemons(LinuxHostContext context, HostShell shell, ILogger logger)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    public static DaemonSpec Dnsmasq(GatewayLayout layout) =>
        new("dnsmasq", ["--keep-in-foreground", "--conf-file=" + layout.DnsmasqConf], layout.DnsmasqPid, layout.DnsmasqLog, layout.DnsmasqMarker)
        {
            Netns = layout.Name,
        };

    public DaemonSpec Metadata(GatewayLayout layout, string address) =>
        new(context.VcmExecutable, ["metadata", "--dir", layout.Directory, .. MetadataArguments(address)], layout.MetadataPid, layout.MetadataLog, layout.MetadataMarker)
        {
            Netns = layout.Name,
        };

    /// <summary>
    /// Keeps dnsmasq running with the current files: (re)started when it is not running or its config changed since
    /// it was started, sent SIGHUP when only the host files changed. True if it did either.
    /// </summary>
    public async Task<bool> EnsureDnsmasqAsync(GatewayLayout layout, string address, CancellationToken cancellationToken)
    {
        var spec = Dnsmasq(layout);
        var config = FileText.Sha256(await File.ReadAllTextAsync(layout.DnsmasqConf, cancellationToken));
        var hosts = FileText.Sha256(await File.ReadAllTextAsync(layout.DhcpHosts, cancellationToken) + await File.ReadAllTextAsync(layout.Hosts, cancellationToken));
        var applied = (FileText.ReadOrNull(layout.DnsmasqApplied) ?? "").Split('\n');
        var pid = Daemons.RunningPid(spec);
        if (pid is null || applied[0] != config)
        {
            var test = await shell.TryRunAsync("dnsmasq", ["--test", "--conf-file=" + layout.DnsmasqConf], cancellationToken);
            if (!test.Succeeded)
            {
                throw new DriverException($"dnsmasq rejects the config of gateway {layout.Name}: {(test.StandardError + test.StandardOutput).Trim()}", terminal: true);
            }

            if (pid is not null)
            {
                await context.Daemons.StopAsync(spec.PidFile, spec.Marker, StopGrace, cancellationToken);
            }

            var started = await context.Daemons.StartAsync(spec, cancellationToken);
            LinuxNetworkDriverLog.DaemonStarted(logger, layout.Name, "dnsmasq", started);
            await WaitUntilListeningAsync(spec, started, p => SocketTable.TcpListening(p, address, 53) && SocketTable.UdpBound(p, "0.0.0.0", 67), cancellationToken);
        }
        else if (applied.Length < 2 || applied[1] != hosts)
        {
            // dnsmasq re-reads dhcp-hostsfile and addn-hosts on SIGHUP.
            (await shell.TryRunAsync("kill", ["-s", "HUP", pid.Value.ToString(CultureInfo.InvariantCulture)], cancellationToken)).EnsureSuccess();
        }
        else
        {
            return false;
        }

        await FileText.WriteIfChangedAsync(layout.DnsmasqApplied, config + "\n" + hosts, cancellationToken);
        return true;
    }

    /// <summary>Keeps the metadata service running on the gateway address; true if it (re)started it.</summary>
    public async Task<bool> EnsureMetadataAsync(GatewayLayout layout, string address, CancellationToken cancellationToken)
    {
        var spec = Metadata(layout, address);
        var pid = Daemons.RunningPid(spec);
        if (pid is not null && Daemons.IsProcess(pid.Value, string.Join(' ', MetadataArguments(address))))
        {
            return false;
        }

        if (pid is not null)
        {
            await context.Daemons.StopAsync(spec.PidFile, spec.Marker, StopGrace, cancellationToken);
        }

        var started = await context.Daemons.StartAsync(spec, cancellationToken);
        LinuxNetworkDriverLog.DaemonStarted(logger, layout.Name, "metadata", started);
        await WaitUntilListeningAsync(spec, started, p => SocketTable.TcpListening(p, address, 80), cancellationToken);
        return true;
    }

    /// <summary>Stops both daemons by their PID files; true if either was running.</summary>
    public async Task<bool> StopAsync(GatewayLayout layout, CancellationToken cancellationToken)
    {
        var dnsmasq = File.Exists(layout.DnsmasqPid) && await context.Daemons.StopAsync(layout.DnsmasqPid, layout.DnsmasqMarker, StopGrace, cancellationToken);
        var metadata = File.Exists(layout.MetadataPid) && await context.Daemons.StopAsync(layout.MetadataPid, layout.MetadataMarker, StopGrace, cancellationToken);
        return dnsmasq || metadata;
    }

    private static string Listen(string address) => $"http://{address}:80";

    /// <summary>Where it listens and, when the host has the site's packages, the socket it gets them from (a change restarts it).</summary>
    private IReadOnlyList<string> MetadataArguments(string address) => context.PackageSource is null
        ? ["--listen", Listen(address)]
        : ["--listen", Listen(address), "--packages", context.Paths.PackageSocket];

    private Task WaitUntilListeningAsync(DaemonSpec spec, int pid, Func<int, bool> listening, CancellationToken cancellationToken) =>
        context.Daemons.WaitUntilReadyAsync(
            spec, pid, listening, StartTimeout, $"{Path.GetFileName(spec.FileName)} of gateway {spec.Netns}", "does not listen", cancellationToken);
}
