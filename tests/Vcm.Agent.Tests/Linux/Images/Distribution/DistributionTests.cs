using Xunit;

namespace Vcm.Agent.Tests.Linux.Images.Distribution;

/// <summary>What the tests of image copying share: a fresh <see cref="DistributionLab"/> per test, run one class at a time.</summary>
[Collection(DistributionLab.Collection)]
public abstract class DistributionTests : IAsyncLifetime
{
    /// <summary>The file every test image has.</summary>
    protected const string File = "base.qcow2";

    protected DistributionLab Lab { get; } = new();

    protected static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync() => await Lab.StartAsync();

    public async Task DisposeAsync() => await Lab.DisposeAsync();

    /// <summary>Puts an image with one base.qcow2 of random bytes (the size in chunks, plus some) into the store; returns the bytes.</summary>
    protected async Task<byte[]> AddImageAsync(string image, int chunks, int seed, int extra = 0, string? parent = null, string? parentSha256 = null)
    {
        var bytes = DistributionLab.Bytes((chunks * DistributionLab.Chunk) + extra, seed);
        await Lab.Store.AddAsync(image, new Dictionary<string, byte[]> { [File] = bytes }, parent, parentSha256);
        return bytes;
    }
}
