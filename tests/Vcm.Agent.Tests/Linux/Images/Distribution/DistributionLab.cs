using System.Security.Cryptography;
using Vcm.Agent.Linux.Images.Distribution;
using Vcm.Testing;
using Vcm.Testing.Images;

namespace Vcm.Agent.Tests.Linux.Images.Distribution;

/// <summary>A store on loopback and in-process hosts with their own caches and agent servers, torn down with the test.</summary>
public sealed class DistributionLab : IAsyncDisposable
{
    /// <summary>The tests that copy images run one at a time: their timing (stall windows) should not depend on each other's hashing.</summary>
    public const string Collection = "image distribution";

    public const int Chunk = 1 << 20;

    private readonly TempDirectory _store = new("vct-dist-store");
    private readonly List<ImageHost> _hosts = [];
    private LoopbackImageStore? _server;

    public LoopbackImageStore Store => _server!;

    public static byte[] Bytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static async Task<string> ShaAsync(string path)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
    }

    public async Task<DistributionLab> StartAsync()
    {
        _server = await LoopbackImageStore.StartAsync(_store.Path);
        return this;
    }

    public async Task<ImageHost> HostAsync(string name, ImageTransferOptions? transfer = null)
    {
        var host = await ImageHost.StartAsync(name, Store.Url, transfer ?? new ImageTransferOptions { ChunkSize = Chunk, StallWindow = TimeSpan.FromSeconds(20) });
        _hosts.Add(host);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _store.Dispose();
    }
}
