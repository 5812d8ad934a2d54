namespace Vcm.Domain.Packages;

/// <summary>The package set of an image's cache image, from the site's request history — pure and deterministic.</summary>
public static class FrequentPackages
{
    /// <summary>
    /// The packages asked for in at least <see cref="CacheImagePolicy.Threshold"/> of the last
    /// <see cref="CacheImagePolicy.Window"/> requests for <paramref name="image"/> (the newest by time; of requests made
    /// at the same instant, the later in <paramref name="history"/>), sorted by name. The share is of the window, not of
    /// the requests there happen to be: while the site has had fewer than N requests, a package still needs ⌈M·N/100⌉
    /// of them, so a young site does not build a cache image for every first request. A package named twice in one
    /// request counts once. Empty: no cache image.
    /// </summary>
    public static IReadOnlyList<string> Of(IEnumerable<PackageRequest> history, string image, CacheImagePolicy policy)
    {
        var recent = history
            .Select((request, order) => (request, order))
            .Where(x => x.request.Image == image)
            .OrderByDescending(x => x.request.At)
            .ThenByDescending(x => x.order)
            .Take(policy.Window);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (request, _) in recent)
        {
            foreach (var package in request.Packages.Distinct(StringComparer.Ordinal))
            {
                counts[package] = counts.GetValueOrDefault(package) + 1;
            }
        }

        return counts.Where(kv => kv.Value >= policy.Threshold).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
    }
}
