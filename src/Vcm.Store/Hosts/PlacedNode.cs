using Vcm.Domain.Clusters;
using Vcm.Domain.Scheduling;

namespace Vcm.Store.Hosts;

/// <summary>A live cluster's node recorded on a host, with what moving it needs to know (a cluster that spans sites, or a part of one, does not move live here; when its last migration failed).</summary>
public sealed record PlacedNode(
    string HostId, string ClusterId, string Cluster, ClusterPhase Phase, bool Deleting, long EndMs, Resources Size, string Node, NodeState State, bool Migrating, bool SpansSites, long? LastFailedMs);
