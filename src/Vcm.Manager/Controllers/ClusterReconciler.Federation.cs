using Vcm.Domain.Clusters;
using Vcm.Domain.Naming;
using Vcm.Drivers.Network;
using Vcm.Manager.Admission;
using Vcm.Manager.Federation;
using Vcm.Store.Clusters;
using Vcm.Store.Records;

namespace Vcm.Manager.Controllers;

public sealed partial class ClusterReconciler
{
    /// <summary>How long a part's status is trusted before the home asks its peer again (each ask renews the part's lease).</summary>
    private static readonly TimeSpan PartSyncInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The cluster's VPN ends: at the home, a server end towards each admitted part; at a part's site, the client end
    /// towards the home. Empty for a cluster of one site.
    /// </summary>
    private async Task<IReadOnlyList<VpnSpec>> VpnsAsync(
        ClusterRecord cluster, StoredSpec spec, IReadOnlyDictionary<string, HostRecord> hostRecords, string bridge, CancellationToken cancellationToken)
    {
        var local = hostRecords.GetValueOrDefault(cluster.GatewayHostId!)?.WanAddress;
        if (cluster.HomeSite is { } home && cluster.PartSpec is { } partSpec)
        {
            var part = PeerPart.Deserialize(partSpec);
            return local is null ? [] :
            [
                new VpnSpec
                {
                    Name = HostObjectNames.Vpn(cluster.Id, home),
                    Bridge = bridge,
                    Server = false,
                    Local = local,
                    Remote = part.Vpn.ServerAddress,
                    Port = part.ClientPort,
                    RemotePort = part.Vpn.ServerPort,
                    CaCertificate = part.Vpn.CaCertificate,
                    Certificate = part.Vpn.Certificate,
                    PrivateKey = part.Vpn.PrivateKey,
                    TlsCryptKey = part.Vpn.TlsCryptKey,
                    RateMbit = part.Vpn.RateMbit,
                },
            ];
        }

        var rows = await parts.ForClusterAsync(cluster.Id, cancellationToken);
        var ends = new List<VpnSpec>();
        foreach (var part in rows.Where(p => p.GatewayWan is { Length: > 0 }))
        {
            var vpn = PartVpnKeys.Deserialize(part.Vpn);
            if (local is null || vpn.ClientPort is not { } clientPort)
            {
                continue;
            }

            ends.Add(new VpnSpec
            {
                Name = HostObjectNames.Vpn(cluster.Id, part.Site),
                Bridge = bridge,
                Server = true,
                Local = local,
                Remote = part.GatewayWan!,
                Port = vpn.Port,
                RemotePort = clientPort,
                CaCertificate = vpn.Keys.CaCertificate,
                Certificate = vpn.Keys.ServerCertificate,
                PrivateKey = vpn.Keys.ServerKey,
                TlsCryptKey = vpn.Keys.TlsCryptKey,
                RateMbit = spec.WanRateMbit,
            });
        }

        return ends;
    }

    /// <summary>
    /// A home cluster whose parts were never all admitted (its manager died while asking the peers): withdraw it
    /// everywhere. True when it was withdrawn.
    /// </summary>
    private async Task<bool> WithdrawIncompleteAsync(ClusterScope scope, CancellationToken cancellationToken)
    {
        var cluster = scope.Cluster;
        if (cluster.HomeSite is not null || scope.Phase != ClusterPhase.Scheduled)
        {
            return false;
        }

        var rows = await parts.ForClusterAsync(cluster.Id, cancellationToken);
        if (!rows.Any(p => p.State == "requested"))
        {
            return false;
        }

        await broker.WithdrawAsync(cluster.Id, rows, cancellationToken);
        return true;
    }

    /// <summary>A part whose home has not renewed it within the lease is released here.</summary>
    private bool PartLeaseExpired(ClusterScope scope)
    {
        var cluster = scope.Cluster;
        return cluster.HomeSite is not null
            && scope.NowMs >= cluster.StartMs
            && scope.NowMs - Math.Max(cluster.RenewedMs ?? 0, cluster.StartMs) > options.PartLease.TotalMilliseconds;
    }

    /// <summary>
    /// Asks each peer for its part's status (renewing its lease there) and turns it into observations of the remote
    /// nodes: a node whose VM runs there is "booting" until the home gateway heard it phone home after its start.
    /// Part phases that changed are recorded as events. Peers that do not answer leave their nodes as they were.
    /// </summary>
    private async Task<List<NodeObservation>> SyncPartsAsync(
        ClusterScope scope, IReadOnlyList<NodeRecord> nodes, IReadOnlyDictionary<string, NodeReport>? reports, bool force, CancellationToken cancellationToken)
    {
        var observations = new List<NodeObservation>();
        var cluster = scope.Cluster;
        if (cluster.HomeSite is not null || nodes.All(n => n.HostId is not null))
        {
            return observations;
        }

        var rows = await parts.ForClusterAsync(cluster.Id, cancellationToken);
        var changed = new List<ClusterPartRecord>();
        foreach (var part in rows.Where(p => p.State == "admitted"))
        {
            if (!force && scope.NowMs - part.UpdatedMs < PartSyncInterval.TotalMilliseconds)
            {
                continue;
            }

            PartStatus status;
            try
            {
                var peer = await peers.FindAsync(part.Site, cancellationToken)
                    ?? throw new PeerCallException(part.Site, PeerFailure.Unauthorized, $"site {part.Site} is no longer a peer");
                status = await federation.GetPartAsync(peer, cluster.Id, cancellationToken);
            }
            catch (PeerCallException e)
            {
                if (part.Reason != e.Message)
                {
                    scope.Event("Warning", "PartUnreachable", e.Message);
                    part.Reason = e.Message;
                    part.UpdatedMs = scope.NowMs;
                    changed.Add(part);
                }

                continue;
            }

            if (status.Phase != part.Phase)
            {
                scope.Event(status.Phase is "Failed" or "Degraded" ? "Warning" : "Normal", "Part", $"site {part.Site}: {status.Phase} ({status.Reason})");
            }

            var vpn = PartVpnKeys.Deserialize(part.Vpn);
            part.Phase = status.Phase;
            part.Reason = status.Reason;
            part.GatewayWan = status.ClientAddress;
            part.Vpn = (vpn with { ClientPort = status.ClientPort }).Serialize();
            part.UpdatedMs = scope.NowMs;
            changed.Add(part);
            var byName = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
            foreach (var remote in status.Nodes)
            {
                if (!byName.TryGetValue(remote.Name, out var node) || node.Site != part.Site)
                {
                    continue;
                }

                var running = remote.State is "ready" or "booting";
                NodeReport? report = null;
                var state = !running ? remote.State
                    : reports is null ? (node.State == "ready" && remote.BootedMs == node.BootedMs ? "ready" : "booting") // no reports: no new verdict
                    : reports.TryGetValue(node.Name, out report) && report.At.ToUnixTimeMilliseconds() >= (remote.BootedMs ?? 0) - (long)ReportSkew.TotalMilliseconds
                        ? "ready" : "booting";
                var newKey = state == "ready" && report is not null && report.HostKey != node.HostKey ? report : null;
                observations.Add(new NodeObservation(node.Name, state, running ? null : $"at site {part.Site}: {remote.State}", remote.BootedMs, newKey?.HostKey, newKey?.Fingerprint)
                {
                    RemoteHost = remote.Host.Length > 0 ? remote.Host : null,
                });
            }
        }

        if (changed.Count > 0)
        {
            await parts.SaveAsync(changed, cancellationToken);
        }

        return observations;
    }

    /// <summary>
    /// Asks each peer to release its part. True when every part is gone; otherwise the parts left are marked
    /// pending release with the reason, and the home asks again later.
    /// </summary>
    private async Task<bool> ReleasePartsAsync(ClusterScope scope, CancellationToken cancellationToken)
    {
        var rows = await parts.ForClusterAsync(scope.Cluster.Id, cancellationToken);
        var pending = rows.Where(p => p.State != "released").ToList();
        foreach (var part in pending)
        {
            try
            {
                var peer = await peers.FindAsync(part.Site, cancellationToken)
                    ?? throw new PeerCallException(part.Site, PeerFailure.Unauthorized, $"site {part.Site} is no longer a peer");
                var gone = await federation.DeletePartAsync(peer, scope.Cluster.Id, cancellationToken);
                part.State = gone ? "released" : "releasing";
                part.Phase = gone ? nameof(ClusterPhase.Released) : "Releasing";
                part.Reason = gone ? "released" : "releasing at the peer";
            }
            catch (PeerCallException e)
            {
                if (part.State != "releasing" || part.Reason != e.Message)
                {
                    scope.Event("Warning", "PartPendingRelease", $"{e.Message}; asking again until it answers");
                }

                part.State = "releasing";
                part.Reason = e.Message;
            }

            part.UpdatedMs = scope.NowMs;
        }

        if (pending.Count > 0)
        {
            await parts.SaveAsync(pending, cancellationToken);
        }

        return pending.All(p => p.State == "released");
    }
}
