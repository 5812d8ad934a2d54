using System.Text.Json.Nodes;
using Vcm.Drivers;
using Vcm.Drivers.Network;

namespace Vcm.Agent.Tests.Linux;

/// <summary>
/// A stand-in network driver for the compute and storage suites: a segment is a bare bridge in the test's namespace
/// (no VXLAN, no gateways). The real network driver has its own suite.
/// </summary>
public sealed class BridgeNetworkDriver(TestNamespace ns) : INetworkDriver
{
    public async Task<EnsureOutcome> EnsureSegmentAsync(SegmentSpec spec, CancellationToken cancellationToken)
    {
        if (await ns.LinkExistsAsync(spec.Bridge))
        {
            return EnsureOutcome.Unchanged;
        }

        await ns.IpAsync("link", "add", spec.Bridge, "type", "bridge");
        await ns.IpAsync("link", "set", spec.Bridge, "up");
        return EnsureOutcome.Created;
    }

    public async Task<DeleteOutcome> DeleteSegmentAsync(string bridge, CancellationToken cancellationToken)
    {
        if (!await ns.LinkExistsAsync(bridge))
        {
            return DeleteOutcome.Absent;
        }

        await ns.IpAsync("link", "del", bridge);
        return DeleteOutcome.Deleted;
    }

    public Task<EnsureOutcome> EnsureGatewayAsync(GatewaySpec spec, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the test network driver makes no gateways");

    public Task<DeleteOutcome> DeleteGatewayAsync(string name, CancellationToken cancellationToken) => Task.FromResult(DeleteOutcome.Absent);

    public async Task<NetworkInventory> ListAsync(CancellationToken cancellationToken)
    {
        var shown = await ns.IpAsync("-j", "link", "show", "type", "bridge");
        var bridges = (JsonNode.Parse(shown.StandardOutput) as JsonArray ?? [])
            .Select(link => link?["ifname"]?.GetValue<string>())
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();
        return new NetworkInventory(bridges, []);
    }

    public Task<EnsureOutcome> EnsureVpnAsync(VpnSpec spec, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this test-only network driver makes bare bridges only");

    public Task<DeleteOutcome> DeleteVpnAsync(string name, CancellationToken cancellationToken) => Task.FromResult(DeleteOutcome.Absent);

    public Task<Ensured<Vcm.Drivers.Compute.IncomingVm>> EnsureMigrationRelayAsync(MigrationRelaySpec spec, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this test-only network driver makes bare bridges only (relays: the real driver, see MigrationLab)");

    public Task<DeleteOutcome> DeleteMigrationRelayAsync(string name, CancellationToken cancellationToken) => Task.FromResult(DeleteOutcome.Absent);

    public Task<IReadOnlyList<NodeReport>> ReportsAsync(string gateway, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<NodeReport>>([]);
}
