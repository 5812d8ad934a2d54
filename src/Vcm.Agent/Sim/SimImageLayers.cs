using System.Security.Cryptography;
using System.Text;
using Vcm.Drivers;
using Vcm.Drivers.Images;

namespace Vcm.Agent.Sim;

/// <summary>
/// Package-set layers for simulated sites (control-plane tests only): every well-formed package "exists" at version
/// 1.0, a Debian image takes any set, and a layer is "built" at once. Its name has the real layers' shape
/// (IMAGE.pk-HASH), which the simulated image driver accepts.
/// </summary>
public sealed class SimImageLayers : IImageLayers
{
    public Task<PackageResolution> ResolveAsync(string image, IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        if (image == "micro")
        {
            return Task.FromResult(new PackageResolution(null, [], "image 'micro' has no package manager and takes no packages; use a Debian image such as debian-12"));
        }

        var installs = packages.Order(StringComparer.Ordinal).Select(p => new PackageVersion(p, "1.0")).ToList();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(image + "\n" + string.Join('\n', packages.Order(StringComparer.Ordinal)))))[..16];
        return Task.FromResult(PackageResolution.Of(new LayerPlan(image, image + LayerNames.Mark + hash, installs.Select(p => p.Name).ToList(), installs)));
    }

    public Task<LayerBuild> EnsureAsync(LayerPlan plan, Action<string> progress, CancellationToken cancellationToken) =>
        Task.FromResult(new LayerBuild(plan.Layer, false, 0, 0, 0));

    public Task<IReadOnlyList<StoredImage>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<StoredImage>>([]);

    public Task<bool> RemoveAsync(string layer, CancellationToken cancellationToken) =>
        throw new DriverException("simulated sites keep no layers", terminal: true);
}
