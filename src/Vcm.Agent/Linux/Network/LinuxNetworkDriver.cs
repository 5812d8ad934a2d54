using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vcm.Drivers;
using Vcm.Drivers.Network;
using Vcm.Drivers.Processes;

namespace Vcm.Agent.Linux.Network;

/// <summary>
/// <see cref="INetworkDriver"/> on a Linux host, with iproute2, nftables and dnsmasq. Host-side commands run in
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
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _changes = new(1, 1);

    public LinuxNetworkDriver(LinuxHostContext context, ILogger<LinuxNetworkDriver>? logger = null)
    {
        _logger = logger ?? NullLogger<LinuxNetworkDriver>.Instance;
        _shell = new HostShell(context);
        _segments = new LinuxSegments(context, _shell);
        _gateways = new LinuxGateways(context, _shell, _logger);
    }

    public async Task<EnsureOutcome> EnsureSegmentAsync(SegmentSpec spec, CancellationToken cancellationToken)
    {
        var outcome = await ChangeAsync("ensure segment", spec.Bridge, ct => _segments.EnsureAsync(spec, ct), cancellationToken);
        if (outcome != EnsureOutcome.Unchanged)
        {
            LinuxNetworkDriverLog.SegmentEnsured(_logger, spec.Bridge, outcome);
        }

        return outcome;
    }

    public async Task<DeleteOutcome> DeleteSegmentAsync(string bridge, CancellationToken cancellationToken)
    {
        var outcome = await ChangeAsync("delete segment", bridge, ct => _segments.DeleteAsync(bridge, ct), cancellationToken);
        if (outcome == DeleteOutcome.Deleted)
        {
            LinuxNetworkDriverLog.SegmentDeleted(_logger, bridge);
        }

        return outcome;
    }

    public async Task<EnsureOutcome> EnsureGatewayAsync(GatewaySpec spec, CancellationToken cancellationToken)
    {
        var outcome = await ChangeAsync("ensure gateway", spec.Name, ct => _gateways.EnsureAsync(spec, ct), cancellationToken);
        if (outcome != EnsureOutcome.Unchanged)
        {
            LinuxNetworkDriverLog.GatewayEnsured(_logger, spec.Name, outcome);
        }

        return outcome;
    }

    public async Task<DeleteOutcome> DeleteGatewayAsync(string name, CancellationToken cancellationToken)
    {
        var outcome = await ChangeAsync("delete gateway", name, ct => _gateways.DeleteAsync(name, ct), cancellationToken);
        if (outcome == DeleteOutcome.Deleted)
        {
            LinuxNetworkDriverLog.GatewayDeleted(_logger, name);
        }

        return outcome;
    }

    public Task<NetworkInventory> ListAsync(CancellationToken cancellationToken) =>
        WithRetriesAsync("list", "network", async ct =>
        {
            var links = await _shell.LinksAsync(_shell.HostNetns, ct);
            var segments = LinuxSegments.List(links).Order(StringComparer.Ordinal).ToList();
            return new NetworkInventory(segments, await _gateways.ListAsync(links.ToList(), ct));
        }, cancellationToken);

    public Task<IReadOnlyList<NodeReport>> ReportsAsync(string gateway, CancellationToken cancellationToken) =>
        _gateways.ReportsAsync(gateway, cancellationToken);

    // VPN ends (OpenVPN tap per cluster) are being written; until then a cross-site cluster fails clearly here.
    public Task<EnsureOutcome> EnsureVpnAsync(VpnSpec spec, CancellationToken cancellationToken) =>
        throw new DriverException("VPN ends are not implemented by the Linux network driver yet", terminal: true);

    public Task<DeleteOutcome> DeleteVpnAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(DeleteOutcome.Absent);

    public void Dispose() => _changes.Dispose();

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
