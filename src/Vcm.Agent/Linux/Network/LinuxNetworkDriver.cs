using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vcm.Drivers;
using Vcm.Drivers.Network;
using Vcm.Drivers.Processes;

namespace Vcm.Agent.Linux.Network;

/// <summary>
/// <see cref="INetworkDriver"/> on a Linux host, with iproute2, nftables, dnsmasq and openvpn. Host-side commands run in
/// <see cref="LinuxHostContext.Netns"/> when it is set, so a namespace can stand in for a host.
/// </summary>
/// <remarks>
/// <para>
/// A segment is a bridge plus a unicast VXLAN device (<c>local</c> = the host's underlay address) whose all-zero FDB
/// entries are exactly the spec's peers; its links get the spec's MTU, at most the underlay's less 50.
/// </para>
/// <para>
/// A gateway is a network namespace named after it, on the cluster's bridge (and the site's external bridge, if any)
/// through veths, with vcm's nftables table inside it, dnsmasq and the metadata service as daemons inside it, and
/// its files in <see cref="HostPaths.Gateway"/>.
/// </para>
/// <para>
/// A VPN end is a persistent tap on the cluster's bridge (rate-limited by a tbf qdisc when asked) and an openvpn that
/// carries its frames to the other site over UDP with the cluster's own keys; its files are in <see cref="HostPaths.Vpn"/>.
/// A dead openvpn is started again by the next ensure (as a gateway's dnsmasq is), and between ensures by
/// <see cref="ReviveVpnsAsync"/>, which the agent runs every few seconds.
/// </para>
/// <para>
/// A migration relay end is a namespace named after it on the cluster's bridge through a veth, with a socat per channel
/// (memory, disk) inside it, and its files in <see cref="HostPaths.Relay"/> (see <see cref="LinuxMigrationRelays"/>).
/// </para>
/// <para>
/// Changes are made one at a time per driver; a command that fails is retried (twice, after a short pause) by
/// running the whole idempotent step again, then reported as a non-terminal <see cref="DriverException"/>. Only
/// objects with vcm's names are touched: never other links, rules, routes or namespaces.
/// </para>
/// </remarks>
public sealed class LinuxNetworkDriver : INetworkDriver, IDisposable
{
    private const int Attempts = 3;

    private readonly HostShell _shell;
    private readonly LinuxSegments _segments;
    private readonly LinuxGateways _gateways;
    private readonly LinuxVpns _vpns;
    private readonly VpnPaths _paths;
    private readonly LinuxMigrationRelays _relays;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _changes = new(1, 1);

    public LinuxNetworkDriver(LinuxHostContext context, ILogger<LinuxNetworkDriver>? logger = null)
    {
        _logger = logger ?? NullLogger<LinuxNetworkDriver>.Instance;
        _shell = new HostShell(context);
        _segments = new LinuxSegments(context, _shell);
        _gateways = new LinuxGateways(context, _shell, _logger);
        _vpns = new LinuxVpns(context, _shell, _logger);
        _paths = new VpnPaths(context, _shell);
        _relays = new LinuxMigrationRelays(context, _shell, _logger);
    }

    public Task<EnsureOutcome> EnsureSegmentAsync(SegmentSpec spec, CancellationToken cancellationToken) =>
        EnsureAsync("ensure segment", spec.Bridge, ct => _segments.EnsureAsync(spec, ct), LinuxNetworkDriverLog.SegmentEnsured, cancellationToken);

    public Task<DeleteOutcome> DeleteSegmentAsync(string bridge, CancellationToken cancellationToken) =>
        DeleteAsync("delete segment", bridge, ct => _segments.DeleteAsync(bridge, ct), LinuxNetworkDriverLog.SegmentDeleted, cancellationToken);

    public Task<EnsureOutcome> EnsureGatewayAsync(GatewaySpec spec, CancellationToken cancellationToken) =>
        EnsureAsync("ensure gateway", spec.Name, ct => _gateways.EnsureAsync(spec, ct), LinuxNetworkDriverLog.GatewayEnsured, cancellationToken);

    public Task<DeleteOutcome> DeleteGatewayAsync(string name, CancellationToken cancellationToken) =>
        DeleteAsync("delete gateway", name, ct => _gateways.DeleteAsync(name, ct), LinuxNetworkDriverLog.GatewayDeleted, cancellationToken);

    public Task<NetworkInventory> ListAsync(CancellationToken cancellationToken) =>
        WithRetriesAsync("list", "network", async ct =>
        {
            var links = await _shell.LinksAsync(_shell.HostNetns, ct);
            var segments = LinuxSegments.List(links).Order(StringComparer.Ordinal).ToList();
            return new NetworkInventory(segments, await _gateways.ListAsync(links.ToList(), ct)) { Vpns = _vpns.List(links), Relays = _relays.List(links) };
        }, cancellationToken);

    public Task<IReadOnlyList<NodeReport>> ReportsAsync(string gateway, CancellationToken cancellationToken) =>
        _gateways.ReportsAsync(gateway, cancellationToken);

    public Task<EnsureOutcome> EnsureVpnAsync(VpnSpec spec, CancellationToken cancellationToken) =>
        EnsureAsync("ensure VPN end", spec.Name, ct => _vpns.EnsureAsync(spec, ct), LinuxNetworkDriverLog.VpnEnsured, cancellationToken);

    public Task<DeleteOutcome> DeleteVpnAsync(string name, CancellationToken cancellationToken) =>
        DeleteAsync("delete VPN end", name, ct => _vpns.DeleteAsync(name, ct), LinuxNetworkDriverLog.VpnDeleted, cancellationToken);

    public async Task<Ensured<Vcm.Drivers.Compute.IncomingVm>> EnsureMigrationRelayAsync(MigrationRelaySpec spec, CancellationToken cancellationToken)
    {
        var ensured = await ChangeAsync("ensure migration relay end", spec.Name, ct => _relays.EnsureAsync(spec, ct), cancellationToken);
        if (ensured.Outcome != EnsureOutcome.Unchanged)
        {
            LinuxNetworkDriverLog.RelayEnsured(_logger, spec.Name, ensured.Outcome);
        }

        return ensured;
    }

    public Task<DeleteOutcome> DeleteMigrationRelayAsync(string name, CancellationToken cancellationToken) =>
        DeleteAsync("delete migration relay end", name, ct => _relays.DeleteAsync(name, ct), LinuxNetworkDriverLog.RelayDeleted, cancellationToken);

    /// <summary>
    /// Starts again the openvpn of every VPN end that was ensured (and not deleted since) but whose process is gone,
    /// with the files of its last ensure; answers those ends. The agent calls this every few seconds.
    /// </summary>
    public Task<IReadOnlyList<string>> ReviveVpnsAsync(CancellationToken cancellationToken) =>
        ChangeAsync("revive VPN ends", "network", _vpns.ReviveAsync, cancellationToken);

    /// <summary>
    /// One look at each VPN end of several WAN paths: bridges the lowest-numbered usable path (<see cref="VpnPathChoice"/>)
    /// and no other; answers what it switched. The agent calls this every <see cref="Hosting.VpnPathSupervisor.Period"/>. It does not wait
    /// for other changes (an ensure may take seconds): it only moves taps on and off the bridge, which ensures leave alone.
    /// </summary>
    public Task<IReadOnlyList<string>> SelectVpnPathsAsync(CancellationToken cancellationToken) => _paths.SelectAsync(cancellationToken);

    public void Dispose() => _changes.Dispose();

    /// <summary>An ensure, one change at a time, logged unless nothing changed.</summary>
    private async Task<EnsureOutcome> EnsureAsync(string operation, string target, Func<CancellationToken, Task<EnsureOutcome>> ensure, Action<ILogger, string, EnsureOutcome> log, CancellationToken cancellationToken)
    {
        var outcome = await ChangeAsync(operation, target, ensure, cancellationToken);
        if (outcome != EnsureOutcome.Unchanged)
        {
            log(_logger, target, outcome);
        }

        return outcome;
    }

    /// <summary>A delete, one change at a time, logged when it deleted something.</summary>
    private async Task<DeleteOutcome> DeleteAsync(string operation, string target, Func<CancellationToken, Task<DeleteOutcome>> delete, Action<ILogger, string> log, CancellationToken cancellationToken)
    {
        var outcome = await ChangeAsync(operation, target, delete, cancellationToken);
        if (outcome == DeleteOutcome.Deleted)
        {
            log(_logger, target);
        }

        return outcome;
    }

    private async Task<T> ChangeAsync<T>(string operation, string target, Func<CancellationToken, Task<T>> change, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken);
        try
        {
            return await WithRetriesAsync(operation, target, change, cancellationToken);
        }
        finally
        {
            _changes.Release();
        }
    }

    private async Task<T> WithRetriesAsync<T>(string operation, string target, Func<CancellationToken, Task<T>> step, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await step(cancellationToken);
            }
            catch (Exception e) when (IsTransient(e) && attempt < Attempts)
            {
                LinuxNetworkDriverLog.Retrying(_logger, operation, target, attempt, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken);
            }
            catch (Exception e) when (IsTransient(e))
            {
                throw new DriverException($"{operation} {target}: {e.Message}", e);
            }
        }
    }

    /// <summary>A failed or hung command, or a file that could not be written: worth running the step again.</summary>
    private static bool IsTransient(Exception e) => e is ProcessFailedException or TimeoutException or IOException;
}
