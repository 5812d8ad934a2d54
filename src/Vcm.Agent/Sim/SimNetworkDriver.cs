using Vcm.Drivers;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Network;

namespace Vcm.Agent.Sim;

internal sealed class SimNetworkDriver(SimHost host) : INetworkDriver
{
    public Task<EnsureOutcome> EnsureSegmentAsync(SegmentSpec spec, CancellationToken cancellationToken) =>
        host.ChangeAsync($"making segment {spec.Bridge}", state =>
        {
            if (state.Segments.TryGetValue(spec.Bridge, out var existing))
            {
                if (existing.Vni != spec.Vni)
                {
                    throw new DriverException($"bridge {spec.Bridge} exists with VNI {existing.Vni}, not {spec.Vni}", terminal: true);
                }

                if (existing.Peers.SequenceEqual(spec.Peers) && existing.Vxlan == spec.Vxlan && existing.Mtu == spec.Mtu && existing.Port == spec.Port)
                {
                    return EnsureOutcome.Unchanged;
                }

                state.Segments[spec.Bridge] = spec;
                return EnsureOutcome.Updated;
            }

            state.Segments[spec.Bridge] = spec;
            return EnsureOutcome.Created;
        }, cancellationToken);

    public Task<DeleteOutcome> DeleteSegmentAsync(string bridge, CancellationToken cancellationToken) =>
        host.ChangeAsync($"deleting segment {bridge}", state =>
        {
            if (state.Gateways.Values.Any(g => g.Bridge == bridge) || state.Vpns.Values.Any(v => v.Bridge == bridge))
            {
                throw new DriverException($"segment {bridge} still has a gateway or VPN end on {host.Name}");
            }

            return state.Segments.Remove(bridge) ? DeleteOutcome.Deleted : DeleteOutcome.Absent;
        }, cancellationToken);

    public Task<EnsureOutcome> EnsureGatewayAsync(GatewaySpec spec, CancellationToken cancellationToken) =>
        host.ChangeAsync($"making gateway {spec.Name}", state =>
        {
            if (!state.Segments.ContainsKey(spec.Bridge))
            {
                throw new DriverException($"bridge {spec.Bridge} of gateway {spec.Name} does not exist on {host.Name}");
            }

            if (state.Gateways.TryGetValue(spec.Name, out var existing))
            {
                if (Same(existing, spec))
                {
                    return EnsureOutcome.Unchanged;
                }

                state.Gateways[spec.Name] = spec;
                return EnsureOutcome.Updated;
            }

            state.Gateways[spec.Name] = spec;
            return EnsureOutcome.Created;
        }, cancellationToken);

    public Task<DeleteOutcome> DeleteGatewayAsync(string name, CancellationToken cancellationToken) =>
        host.ChangeAsync($"deleting gateway {name}", state =>
            state.Gateways.Remove(name) ? DeleteOutcome.Deleted : DeleteOutcome.Absent, cancellationToken);

    /// <summary>Simulated nodes phone home at once: one report per node the gateway serves, with the host key it was given (or a made-up one).</summary>
    public Task<IReadOnlyList<NodeReport>> ReportsAsync(string gateway, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<NodeReport>>(host.Read(s => s.Gateways.TryGetValue(gateway, out var spec)
            ? spec.Nodes.Select(Report).ToList()
            : []));

    private NodeReport Report(GatewayNode node) =>
        node.HostKey is { } given && SshHostKey.Parse(given) is { } key
            ? new NodeReport(node.Name, node.Ip, node.Name, key.PublicLine, key.Fingerprint, 0, "none", host.Clock.GetUtcNow())
            : new NodeReport(node.Name, node.Ip, node.Name, $"ssh-ed25519 SIMULATED{node.Mac.Replace(":", "", StringComparison.Ordinal)} {node.Name}", $"SHA256:sim-{node.Mac}", 0, "none", host.Clock.GetUtcNow());

    public Task<EnsureOutcome> EnsureVpnAsync(VpnSpec spec, CancellationToken cancellationToken) =>
        host.ChangeAsync($"making VPN end {spec.Name}", state =>
        {
            if (!state.Segments.ContainsKey(spec.Bridge))
            {
                throw new DriverException($"bridge {spec.Bridge} of VPN {spec.Name} does not exist on {host.Name}");
            }

            if (state.Vpns.TryGetValue(spec.Name, out var existing) && existing == spec)
            {
                return EnsureOutcome.Unchanged;
            }

            var created = existing is null;
            state.Vpns[spec.Name] = spec;
            return created ? EnsureOutcome.Created : EnsureOutcome.Updated;
        }, cancellationToken);

    public Task<DeleteOutcome> DeleteVpnAsync(string name, CancellationToken cancellationToken) =>
        host.ChangeAsync($"deleting VPN end {name}", state =>
            state.Vpns.Remove(name) ? DeleteOutcome.Deleted : DeleteOutcome.Absent, cancellationToken);

    /// <summary>
    /// A simulated relay end is recorded on its host, on a bridge that must exist; a receiving end must name its
    /// receiver. A sending end answers unix sockets of its own (as the Linux driver does), a receiving end its TCP URIs.
    /// </summary>
    public Task<Ensured<IncomingVm>> EnsureMigrationRelayAsync(MigrationRelaySpec spec, CancellationToken cancellationToken) =>
        host.ChangeAsync($"making migration relay end {spec.Name}", state =>
        {
            if (!state.Segments.ContainsKey(spec.Bridge))
            {
                throw new DriverException($"bridge {spec.Bridge} of migration relay end {spec.Name} does not exist on {host.Name}");
            }

            if (spec.Side == MigrationRelaySide.Receive && spec.Receiver is null)
            {
                throw new DriverException($"migration relay end {spec.Name} receives but names no receiver", terminal: true);
            }

            var outcome = !state.Relays.TryGetValue(spec.Name, out var existing) ? EnsureOutcome.Created
                : existing == spec ? EnsureOutcome.Unchanged
                : EnsureOutcome.Updated;
            state.Relays[spec.Name] = spec;
            return new Ensured<IncomingVm>(outcome, RelayAnswer(spec));
        }, cancellationToken);

    public Task<DeleteOutcome> DeleteMigrationRelayAsync(string name, CancellationToken cancellationToken) =>
        host.ChangeAsync($"deleting migration relay end {name}", state =>
            state.Relays.Remove(name) ? DeleteOutcome.Deleted : DeleteOutcome.Absent, cancellationToken);

    private IncomingVm RelayAnswer(MigrationRelaySpec spec)
    {
        if (spec.Side == MigrationRelaySide.Receive)
        {
            return new IncomingVm(spec.Vm, host.Name, $"tcp:[{spec.LocalAddress}]:{spec.MemoryPort}", $"nbd:[{spec.LocalAddress}]:{spec.DiskPort}:exportname=disk0");
        }

        var folder = $"/sim/{host.Name}/relays/{spec.Name}";
        return new IncomingVm(spec.Vm, host.Name, $"unix:{folder}/memory.sock", $"nbd+unix:///disk0?socket={folder}/disk.sock");
    }

    public Task<NetworkInventory> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult(host.Read(s => new NetworkInventory(s.Segments.Keys.ToList(), s.Gateways.Keys.ToList()) { Vpns = s.Vpns.Keys.ToList(), Relays = s.Relays.Keys.ToList() }));

    private static bool Same(GatewaySpec a, GatewaySpec b) =>
        a.Bridge == b.Bridge && a.Subnet == b.Subnet && a.Address == b.Address && a.Domain == b.Domain
        && a.Nat == b.Nat && a.Nodes.Count == b.Nodes.Count
        && a.Nodes.Zip(b.Nodes).All(p => p.First.Name == p.Second.Name && p.First.Mac == p.Second.Mac && p.First.Ip == p.Second.Ip
            && p.First.SshKeys.SequenceEqual(p.Second.SshKeys) && p.First.UserScript == p.Second.UserScript);
}
