using Vcm.Domain.Clusters;
using Vcm.Domain.Packages;
using Vcm.Drivers.Images;
using Vcm.Store.Packages;
using Vcm.Store.Records;

namespace Vcm.Manager.Images;

/// <summary>What the cost model reads for one image, read once: the site's history, its image store, the image's cache image.</summary>
public sealed record CostInputs(CostHistory History, IReadOnlyList<StoredImage> Stored, CacheImageRecord? Cache)
{
    /// <summary>A resolved request as the cost model sees it, with the hosts its nodes are on.</summary>
    public CostRequest Request(LayerPlan plan, IReadOnlyList<string> hosts, InstallMode install)
    {
        var stored = Stored.ToDictionary(i => i.Name, StringComparer.Ordinal);
        return new CostRequest(plan.Image, plan.Requested, plan.Installs.Count, plan.Layer, hosts)
        {
            Install = install,
            ExactBytes = stored.TryGetValue(plan.Layer, out var exact) ? exact.Bytes : null,
            InstalledKib = plan.InstalledKib,
            Cache = Cache is { State: CacheImageState.Ready, Layer: { } layer } && stored.TryGetValue(layer, out var cache)
                ? new CachedImage(layer, PackageText.Split(Cache.Packages), Math.Max(0, cache.Packages - (stored.GetValueOrDefault(plan.Image)?.Packages ?? 0)), cache.Bytes)
                : null,
        };
    }
}
