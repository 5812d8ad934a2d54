using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Domain.Events;
using Vcm.Domain.Federation;
using Vcm.Domain.Naming;
using Vcm.Domain.Scheduling;
using Vcm.Drivers.Network;
using Vcm.Manager.Peers;
using Vcm.Store.Records;

namespace Vcm.Manager.Admission;

/// <summary>The rows an admitted cluster (or part) is stored as — pure, from the request, the split and the placement.</summary>
public sealed record AdmittedRows(
    ClusterRecord Cluster, IReadOnlyList<NodeRecord> Nodes, IReadOnlyList<ClaimRecord> Claims, EventRecord Admitted, IReadOnlyList<ClusterPartRecord> Parts)
{
    /// <summary>
    /// The rows of an admission at site <paramref name="siteId"/>. <paramref name="ports"/> are the VPN ports picked for
    /// it: at a home, one server port per peer in the order of <see cref="Split.Remote"/>; for a part, its client port.
    /// </summary>
    public static AdmittedRows Build(
        string id, string siteId, AdmissionRequest request, Split split, Placement placement, IReadOnlyList<HostCapacity> hosts,
        IReadOnlyList<int> ports, string source, DateTimeOffset now)
    {
        var spec = request.Spec;
        var nowMs = now.ToUnixTimeMilliseconds();
        var hostSites = hosts.ToDictionary(h => h.HostId, h => h.Site, StringComparer.Ordinal);
        var nodes = request.Origin is { } origin ? PartNodes(id, origin, placement, hostSites) : HomeNodes(id, spec, split, placement, hostSites);
        var cluster = NewCluster(id, siteId, request, placement, nodes.Count, nowMs);
        var parts = split.Remote.Keys.Select((peer, i) => new ClusterPartRecord
        {
            Id = Ids.New(),
            ClusterId = id,
            Site = peer,
            State = PartState.Requested,
            Vpn = PartVpnKeys.Serialize(VpnKeys.Create(spec.Name, now)),
            VpnPort = ports[i],
            UpdatedMs = nowMs,
            Version = 1,
        }).ToList();
        if (request.Origin is { } part)
        {
            cluster.HomeSite = part.HomeSite;
            cluster.HomeClusterId = part.HomeClusterId;
            cluster.PartVpn = part.Vpn.Serialize();
            cluster.VpnPort = ports[0];
            cluster.RenewedMs = nowMs;
        }

        var claims = ClaimRows.Of(id, placement.Claims);
        var local = nodes.Where(n => n.HostId is not null).ToList();
        var where = $"{local.Count} nodes on {local.Select(n => n.HostId).Distinct().Count()} hosts";
        var elsewhere = string.Concat(split.Remote.Select(kv => $", {kv.Value.Count} at site {kv.Key}"));
        var admitted = EventRecord.Create(
            id, now, EventType.Normal, EventReason.Admitted,
            (request.Origin is { } o ? $"part of site {o.HomeSite}'s cluster {spec.Name.Split('@')[0]}: " : "") + $"{where}{elsewhere} from {spec.Start:u} to {spec.End:u}",
            source);
        return new AdmittedRows(cluster, nodes, claims, admitted, parts);
    }

    private static ClusterRecord NewCluster(string id, string siteId, AdmissionRequest request, Placement placement, int nodes, long nowMs)
    {
        var spec = request.Spec;
        var startMs = spec.Start.ToUnixTimeMilliseconds();
        return new ClusterRecord
        {
            Id = id,
            Name = spec.Name,
            ActiveName = spec.Name,
            SiteId = siteId,
            TenantId = request.Owner?.TenantId,
            CreatedBy = request.Owner?.UserId,
            Spec = spec,
            Phase = ClusterPhase.Scheduled,
            Reason = startMs > nowMs ? $"starts at {spec.Start:u}" : "starting",
            StartMs = startMs,
            EndMs = spec.End.ToUnixTimeMilliseconds(),
            CreatedMs = nowMs,
            UpdatedMs = nowMs,
            Generation = 1,
            ObservedGeneration = 0,
            NodesTotal = nodes,
            NodesReady = 0,
            Subnet = spec.Subnet.ToString(),
            GatewayHostId = placement.GatewayHostId,
            StorageHostId = placement.StorageHostId,
            PhaseSinceMs = nowMs,
            NextReconcileMs = Math.Max(nowMs, startMs),
            IdempotencyKey = request.IdempotencyKey,
            IdempotencyHash = request.IdempotencyHash,
            Version = 1,
        };
    }

    /// <summary>Every node of a cluster of this site's (those at peers too): identities derived from the cluster's id and the node's index.</summary>
    private static List<NodeRecord> HomeNodes(
        string id, ClusterSpec spec, Split split, Placement placement, IReadOnlyDictionary<string, string> hostSites)
    {
        var siteOf = split.Remote.SelectMany(kv => kv.Value.Select(n => (n.Name, Site: kv.Key))).ToDictionary(x => x.Name, x => x.Site, StringComparer.Ordinal);
        return spec.NodeNames().Select(n =>
        {
            var remote = siteOf.GetValueOrDefault(n.Name);
            var host = remote is null ? placement.NodeHosts[n.Name] : null;
            return new NodeRecord
            {
                Id = Ids.New(),
                ClusterId = id,
                Name = n.Name,
                Role = n.Role,
                Idx = n.Index,
                HostId = host,
                Site = remote ?? hostSites[host!],
                Mac = HostObjectNames.Mac(id, n.Index),
                Ip = spec.Subnet.NodeAddress(n.Index),
                State = NodeState.Pending,
                Version = 1,
                Token = NodeSecrets.NewToken(),
                SshPort = NodeSecrets.SshPort(n.Index),
            }.WithHostKey(spec.Name);
        }).ToList();
    }

    /// <summary>The nodes of a part: identities as the home assigned them.</summary>
    private static List<NodeRecord> PartNodes(string id, PartOrigin origin, Placement placement, IReadOnlyDictionary<string, string> hostSites) =>
        origin.Nodes.Select(n => new NodeRecord
        {
            Id = Ids.New(),
            ClusterId = id,
            Name = n.Name,
            Role = n.Role,
            Idx = n.Index,
            HostId = placement.NodeHosts[n.Name],
            Site = hostSites[placement.NodeHosts[n.Name]],
            Mac = n.Mac,
            Ip = n.Ip,
            State = NodeState.Pending,
            Version = 1,
            Token = n.Token,
        }).ToList();
}
