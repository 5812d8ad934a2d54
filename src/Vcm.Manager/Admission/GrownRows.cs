using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Domain.Naming;
using Vcm.Domain.Scheduling;
using Vcm.Store.Records;

namespace Vcm.Manager.Admission;

/// <summary>The rows a grown cluster's new workers are stored as: nodes named, addressed and keyed as a create makes them, and their claims.</summary>
public sealed record GrownRows(IReadOnlyList<NodeRecord> Nodes, IReadOnlyList<ClaimRecord> Claims)
{
    public static GrownRows Build(ClusterRecord cluster, IReadOnlyList<NodeName> added, Placement placement, string siteName)
    {
        var nodes = added.Select(n => new NodeRecord
        {
            Id = Ids.New(),
            ClusterId = cluster.Id,
            Name = n.Name,
            Role = n.Role,
            Idx = n.Index,
            HostId = placement.NodeHosts[n.Name],
            Site = siteName,
            Mac = HostObjectNames.Mac(cluster.Id, n.Index),
            Ip = cluster.Spec.Subnet.NodeAddress(n.Index),
            State = NodeState.Pending,
            Version = 1,
            Token = NodeSecrets.NewToken(),
            SshPort = NodeSecrets.SshPort(n.Index),
        }.WithHostKey(cluster.Name)).ToList();
        var claims = ClaimRows.Of(cluster.Id, placement.Claims);
        return new GrownRows(nodes, claims);
    }
}
