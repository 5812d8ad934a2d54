namespace Vcm.Domain.Moves;

/// <summary>One live migration a consolidation plan asks for.</summary>
public sealed record PlannedMove(string ClusterId, string Cluster, string Node, string FromHostId, string ToHostId);
