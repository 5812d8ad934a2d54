using Vcm.Domain.Clusters;

namespace Vcm.Domain.Packages;

/// <summary>
/// One request as the cost model sees it: the image, the packages asked for and how many packages that resolves to,
/// the exact layer (its size when built), the image's cache image when one is built, and the hosts the nodes are on.
/// </summary>
public sealed record CostRequest(string Image, IReadOnlyList<string> Requested, int Installs, string ExactLayer, IReadOnlyList<string> Hosts)
{
    /// <summary>The exact layer's size when it is built already; null when it is not.</summary>
    public long? ExactBytes { get; init; }

    public CachedImage? Cache { get; init; }

    /// <summary>What the exact layer's packages unpack to (KiB); 0 when unknown.</summary>
    public long InstalledKib { get; init; }

    /// <summary>Which ways the tenant allows (<c>--install</c>): all, only layers, or only installing at boot.</summary>
    public InstallMode Install { get; init; } = InstallMode.Auto;
}

/// <summary>A built cache image: its layer, the packages it was made for, how many it installed over the image, its size.</summary>
public sealed record CachedImage(string Layer, IReadOnlyList<string> Packages, int Installs, long Bytes);
