namespace Vcm.Store.Clusters;

/// <summary>A cluster's row version and whether it is live (not yet final): what a watcher compares to see a change.</summary>
public sealed record ClusterVersion(string Id, long Version, bool Live);
