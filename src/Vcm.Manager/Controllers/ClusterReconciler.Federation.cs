using Vcm.Domain.Clusters;
using Vcm.Domain.Events;
using Vcm.Domain.Federation;
using Vcm.Domain.Naming;
using Vcm.Drivers.Network;
using Vcm.Manager.Peers;
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
        ClusterScope scope, IReadOnlyDictionary<string, HostRecord> hostRecords, string bridge, CancellationToken cancellationToken)
    {
        var cluster = scope.Cluster;
        var gateway = hostRecords.GetValueOrDefault(cluster.GatewayHostId!);
        var local = gateway?.WanAddress;
        var locals = WanList.Of(local, gateway?.WanAddresses);
        if (cluster.HomeSite is { } home && cluster.PartVpn is { } partVpn)
        {
            var vpn = PartVpn.Deserialize(partVpn);
            return local is null || cluster.VpnPort is not { } port ? [] :
            [
                new VpnSpec
                {
                    Name = HostObjectNames.Vpn(cluster.Id, home),
                    Bridge = bridge,
                    Server = false,
                    Local = local,
                    Remote = vpn.ServerAddress,
                    Port = port,
                    RemotePort = vpn.ServerPort,
                    CaCertificate = vpn.CaCertificate,
                    Certificate = vpn.Certificate,
                    PrivateKey = vpn.PrivateKey,
                    TlsCryptKey = vpn.TlsCryptKey,
                    RateMbit = vpn.RateMbit,
                    AlternatePaths = Standby(locals, vpn.ServerAddresses ?? [vpn.ServerAddress]),
                },
            ];
        }

        var ends = new List<VpnSpec>();
        foreach (var part in await scope.Session.PartsAsync(cancellationToken))
        {
            if (local is null || part.GatewayWan is not { Length: > 0 } remote || part.VpnPort is not { } port || part.PeerVpnPort is not { } peerPort)
            {
                continue;
            }

            var keys = PartVpnKeys.Deserialize(part.Vpn);
            ends.Add(new VpnSpec
            {
                Name = HostObjectNames.Vpn(cluster.Id, part.Site),
                Bridge = bridge,
                Server = true,
                Local = local,
                Remote = remote,
                Port = port,
                RemotePort = peerPort,
                CaCertificate = keys.CaCertificate,
                Certificate = keys.ServerCertificate,
                PrivateKey = keys.ServerKey,
                TlsCryptKey = keys.TlsCryptKey,
                RateMbit = scope.Spec.WanRate?.Mbit,
                AlternatePaths = Standby(locals, WanList.Of(remote, part.GatewayWans)),
            });
        }

        return ends;
    }

    /// <summary>
    /// The standby WAN paths of a VPN end (path 2 onward): the k-th WAN address of each side's gateway host makes
    /// path k, as many as the side with fewer has. None when either side has one address.
    /// </summary>
    private static IReadOnlyList<VpnPath> Standby(IReadOnlyList<string> locals, IReadOnlyList<string> remotes) =>
        VpnPath.Pair(locals, remotes).Skip(1).ToList();

    /// <summary>
    /// A home cluster whose parts were never all admitted (its manager died while asking the peers): withdraw it
    /// everywhere — the peers are told to drop their parts, then its rows go in this pass's transaction. True when it was withdrawn.
    /// </summary>
    private async Task<bool> WithdrawIncompleteAsync(ClusterScope scope, CancellationToken cancellationToken)
    {
        if (scope.Cluster.HomeSite is not null || scope.Phase != ClusterPhase.Scheduled)
        {
            return false;
        }

        var rows = await scope.Session.PartsAsync(cancellationToken);
        if (!rows.Any(p => p.State == PartState.Requested))
        {
            return false;
        }

        await broker.TellPeersToDropAsync(scope.Cluster.Id, rows, cancellationToken);
        await scope.Session.DeleteUnbuiltAsync(cancellationToken);
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
    /// nodes: a node whose VM runs there is booting until the home gateway heard it phone home after its start.
    /// Part phases that changed and peers that stop answering are recorded as events, and the part rows are updated —
    /// all written with the pass. Peers that do not answer leave their nodes as they were (no observation).
    /// </summary>
    private async Task<IReadOnlyList<NodeObservation>> SyncPartsAsync(
        ClusterScope scope, IReadOnlyList<NodeRecord> nodes, IReadOnlyDictionary<string, NodeReport>? reports, CancellationToken cancellationToken)
    {
        var observations = new List<NodeObservation>();
        var cluster = scope.Cluster;
        if (cluster.HomeSite is not null || nodes.All(n => n.HostId is not null))
        {
            return observations;
        }

        var byName = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        foreach (var part in (await scope.Session.PartsAsync(cancellationToken)).Where(p => p.State == PartState.Admitted))
        {
            if (scope.NowMs - part.UpdatedMs < PartSyncInterval.TotalMilliseconds)
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
                    scope.Event(EventType.Warning, EventReason.PartUnreachable, e.Message);
                    part.Reason = e.Message;
                    part.UpdatedMs = scope.NowMs;
                }

                continue;
            }

            if (status.Phase != part.Phase)
            {
                scope.Event(status.Phase is ClusterPhase.Failed or ClusterPhase.Degraded ? EventType.Warning : EventType.Normal, EventReason.Part,
                    $"site {part.Site}: {status.Phase} ({status.Reason})");
            }

            part.Phase = status.Phase;
            part.Reason = status.Reason;
            part.GatewayWan = status.ClientAddress;
            part.GatewayWans = WanList.Join(status.ClientAddresses);
            part.PeerVpnPort = status.ClientPort;
            part.UpdatedMs = scope.NowMs;
            foreach (var remote in status.Nodes)
            {
                if (byName.TryGetValue(remote.Name, out var node) && node.Site == part.Site)
                {
                    observations.Add(ObserveRemote(node, remote, part.Site, reports));
                }
            }
        }

        return observations;
    }

    /// <summary>A node at another site, from its part's status there and the phone-home reports here (null: none were read).</summary>
    private static NodeObservation ObserveRemote(NodeRecord node, PartNodeStatus remote, string site, IReadOnlyDictionary<string, NodeReport>? reports)
    {
        var running = remote.State.IsRunning();
        NodeReport? report = null;
        var state = !running ? remote.State
            : reports is null ? (node.State == NodeState.Ready && remote.BootedMs == node.BootedMs ? NodeState.Ready : NodeState.Booting) // no reports: no new verdict
            : reports.TryGetValue(node.Name, out report) && report.At.ToUnixTimeMilliseconds() >= (remote.BootedMs ?? 0) - (long)ReportSkew.TotalMilliseconds
                ? NodeState.Ready : NodeState.Booting;
        var newKey = state == NodeState.Ready && report is not null ? ReportedHostKey.NewPin(node, report) : null;
        return new NodeObservation(node.Name, state, running ? null : $"at site {site}: {EnumText(remote.State)}", remote.BootedMs, newKey?.HostKey, newKey?.Fingerprint)
        {
            RemoteHost = remote.Host.Length > 0 ? remote.Host : null,
        };
    }

    private static string EnumText(NodeState state) => Domain.Text.EnumText.Lower(state);

    /// <summary>
    /// Asks each peer to release its part. Returns how many parts are not gone yet and why peers could not be asked;
    /// the parts left are marked pending release with the reason, and the home asks again later.
    /// </summary>
    private async Task<(int Pending, IReadOnlyList<string> Unanswered)> ReleasePartsAsync(ClusterScope scope, CancellationToken cancellationToken)
    {
        var pending = (await scope.Session.PartsAsync(cancellationToken)).Where(p => p.State != PartState.Released).ToList();
        var unanswered = new List<string>();
        foreach (var part in pending)
        {
            try
            {
                var peer = await peers.FindAsync(part.Site, cancellationToken)
                    ?? throw new PeerCallException(part.Site, PeerFailure.Unauthorized, $"site {part.Site} is no longer a peer");
                var gone = await federation.DeletePartAsync(peer, scope.Cluster.Id, cancellationToken);
                part.State = gone ? PartState.Released : PartState.Releasing;
                part.Phase = gone ? ClusterPhase.Released : ClusterPhase.Releasing;
                part.Reason = gone ? "released" : "releasing at the peer";
                if (gone)
                {
                    part.VpnPort = null; // its VPN end is gone: the port may serve another part
                }
            }
            catch (PeerCallException e)
            {
                part.State = PartState.Releasing;
                part.Reason = e.Message;
                unanswered.Add(e.Message);
            }

            part.UpdatedMs = scope.NowMs;
        }

        return (pending.Count(p => p.State != PartState.Released), unanswered);
    }
}
