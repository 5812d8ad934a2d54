namespace Vcm.Api;

/// <summary>One live migration of a consolidation plan.</summary>
public sealed record PlannedMoveView(string Cluster, string Node, string From, string To);
