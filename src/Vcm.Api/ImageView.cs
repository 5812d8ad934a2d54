namespace Vcm.Api;

/// <summary>
/// An image or a package-set layer of the site's image store: its size on disk, its parent (layers), the smallest
/// node disk it fits on, the packages asked for (layers) and installed, and how many clusters booted from it (all
/// time, and live now).
/// </summary>
public sealed record ImageView(
    string Name, string? Parent, long SizeBytes, long MinDiskMb, IReadOnlyList<string> Requested, int Packages, int Clusters, int LiveClusters);
