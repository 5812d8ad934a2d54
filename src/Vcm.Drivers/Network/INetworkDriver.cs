using Vcm.Drivers.Compute;

namespace Vcm.Drivers.Network;

/// <summary>Builds clusters' private networks on one host.</summary>
/// <remarks>
/// Contract: idempotent and keyed by name; ensure converges an existing object to the spec (e.g. new peers or
/// nodes) and reports <see cref="EnsureOutcome.Updated"/>; delete removes everything the ensure made and reports
/// <see cref="DeleteOutcome.Absent"/> when there was nothing. Only objects with vcm's names are touched: never
/// the host's other links, rules, routes or namespaces.
/// </remarks>
public interface INetworkDriver
{
    Task<EnsureOutcome> EnsureSegmentAsync(SegmentSpec spec, CancellationToken cancellationToken);

    Task<DeleteOutcome> DeleteSegmentAsync(string bridge, CancellationToken cancellationToken);

    Task<EnsureOutcome> EnsureGatewayAsync(GatewaySpec spec, CancellationToken cancellationToken);

    Task<DeleteOutcome> DeleteGatewayAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Makes one end of a cluster's VPN (and keeps it supervised: a dead tunnel process is restarted by the next
    /// ensure); Updated when its keys, peer, rate or bridge changed or its process had to be restarted.
    /// </summary>
    Task<EnsureOutcome> EnsureVpnAsync(VpnSpec spec, CancellationToken cancellationToken);

    Task<DeleteOutcome> DeleteVpnAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Makes one end of a cross-site migration's relay (see <see cref="MigrationRelaySpec"/>), its relaying processes
    /// running; for the sending end, the <see cref="IncomingVm"/> the source's QEMU migrates to (for the receiving end,
    /// its TCP URIs, for the record).
    /// </summary>
    Task<Ensured<IncomingVm>> EnsureMigrationRelayAsync(MigrationRelaySpec spec, CancellationToken cancellationToken);

    /// <summary>Removes a relay end — its processes, namespace, veth and sockets; Absent when there was none.</summary>
    Task<DeleteOutcome> DeleteMigrationRelayAsync(string name, CancellationToken cancellationToken);

    Task<NetworkInventory> ListAsync(CancellationToken cancellationToken);

    /// <summary>The phone-home reports the gateway's metadata service has received (empty for an absent gateway).</summary>
    Task<IReadOnlyList<NodeReport>> ReportsAsync(string gateway, CancellationToken cancellationToken);
}
