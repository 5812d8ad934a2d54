using System.Security.Cryptography;
using System.Text;
using Vcm.Drivers;
using Vcm.Drivers.Images;

namespace Vcm.Agent.Sim;

/// <summary>
/// Package-set layers for simulated sites (control-plane tests only): every well-formed package "exists" at version
/// 1.0, a Debian image takes any set, and a layer is "built" at once. Its name has the real layers' shape
/// (IMAGE.pk-HASH), which the simulated image driver accepts. Built layers are listed (1 MiB a package), so what is
/// built already is seen as built, as in a real store.
/// </summary>
public sealed class SimImageLayers : IImageLayers
{
    private const long BytesPerPackage = 1 << 20;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, StoredImage> _built = new(StringComparer.Ordinal);

    public Task<PackageResolution> ResolveAsync(string image, IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        if (image == "micro")
        {
            return Task.FromResult(new PackageResolution(null, [], "image 'micro' has no package manager and takes no packages; use a Debian image such as debian-12"));
        }

        var installs = packages.Order(StringComparer.Ordinal).Select(p => new PackageVersion(p, "1.0")).ToList();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(image + "\n" + string.Join('\n', packages.Order(StringComparer.Ordinal)))))[..16];
        return Task.FromResult(PackageResolution.Of(new LayerPlan(image, image + LayerNames.Mark + hash, installs.Select(p => p.Name).ToList(), installs, installs.Count * 1024L)));
    }

    public Task<LayerBuild> EnsureAsync(LayerPlan plan, Action<string> progress, CancellationToken cancellationToken)
    {
        var bytes = plan.Installs.Count * BytesPerPackage;
        var built = _built.TryAdd(plan.Layer, new StoredImage(plan.Layer, plan.Image, bytes, 0, plan.Requested, plan.Installs.Count));
        return Task.FromResult(new LayerBuild(plan.Layer, built, 0, bytes, 0));
    }

    public Task<IReadOnlyList<StoredImage>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StoredImage>>(_built.Values.OrderBy(i => i.Name, StringComparer.Ordinal).ToList());

    public Task<bool> RemoveAsync(string layer, CancellationToken cancellationToken) =>
        throw new DriverException("simulated sites keep no layers", terminal: true);
}
