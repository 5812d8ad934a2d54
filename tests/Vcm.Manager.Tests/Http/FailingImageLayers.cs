using Vcm.Drivers.Images;

namespace Vcm.Manager.Tests.Http;

/// <summary>An image store whose listing fails with an exception the API must not pass on (a fault for 500 tests).</summary>
internal sealed class FailingImageLayers : IImageLayers
{
    public const string Secret = "injected-fault-7f3a";

    public Task<PackageResolution> ResolveAsync(string image, IReadOnlyList<string> packages, CancellationToken cancellationToken) =>
        Task.FromResult(new PackageResolution(null, [], "no layers here"));

    public Task<LayerBuild> EnsureAsync(LayerPlan plan, Action<string> progress, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(Secret);

    public Task<IReadOnlyList<StoredImage>> ListAsync(CancellationToken cancellationToken) => throw new InvalidOperationException(Secret);

    public Task<bool> RemoveAsync(string layer, CancellationToken cancellationToken) => throw new InvalidOperationException(Secret);
}
