namespace Vcm.Api;

/// <summary>An event of GET /api/v1/events: what happened to which cluster (the fields of <see cref="EventView"/> with the cluster's name).</summary>
public sealed record ClusterEventView(string Cluster, DateTimeOffset At, string Type, string Reason, string Message, string Source);
