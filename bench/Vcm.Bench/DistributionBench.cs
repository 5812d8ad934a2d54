using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Vcm.Agent.Linux.Images.Distribution;
using Vcm.Testing;
using Vcm.Testing.Images;

namespace Vcm.Bench;

/// <summary>
/// Distribution time of one image to 1, 2, 4, 8 receivers down the chain vcm plans (each host copying from the one
/// before while it still receives), every sender — the store and each host — paced to the same rate, on loopback
/// in this process (the lab's namespaces are not used). Compared with size/rate, the time one copy takes.
/// </summary>
internal sealed class DistributionBench(int mebibytes, double mebibytesPerSecond, IReadOnlyList<int> receivers, int chunkMebibytes)
{
    public async Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken)
    {
        using var folder = new TempDirectory("vcm-bench-dist");
        var rate = (long)(mebibytesPerSecond * (1 << 20));
        var bytes = new byte[mebibytes << 20];
        new Random(1).NextBytes(bytes);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await using var store = await LoopbackImageStore.StartAsync(folder.Path);
        await store.AddAsync("bench", new Dictionary<string, byte[]> { ["base.qcow2"] = bytes });
        store.Rate = rate;
        var ideal = (double)bytes.Length / rate;
        var chunk = chunkMebibytes << 20;
        var rows = new List<string>
        {
            "| receivers | time (s) | size/rate (s) | time ÷ (size/rate) |",
            "|---|---|---|---|",
        };
        foreach (var count in receivers)
        {
            var hosts = new List<ImageHost>();
            try
            {
                for (var i = 1; i <= count; i++)
                {
                    hosts.Add(await ImageHost.StartAsync($"r{i}", store.Url, new ImageTransferOptions { ChunkSize = chunk, ServeRate = rate }));
                }

                Console.Error.WriteLine($"bench: {mebibytes} MiB to {count} receivers at {mebibytesPerSecond} MiB/s per sender");
                var clock = Stopwatch.StartNew();
                await Task.WhenAll(hosts.Select((h, i) => h.Driver.EnsureImageAsync("bench", i == 0 ? null : hosts[i - 1].AsPeer, cancellationToken)));
                var seconds = clock.Elapsed.TotalSeconds;
                foreach (var host in hosts)
                {
                    await using var file = File.OpenRead(host.ImagePath("bench", "base.qcow2"));
                    if (Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken)) != sha)
                    {
                        throw new InvalidOperationException($"receiver {host.Facts.Name} has another SHA-256 than the store");
                    }
                }

                rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {count} | {seconds:0.0} | {ideal:0.0} | {seconds / ideal:0.00} |"));
            }
            finally
            {
                foreach (var host in hosts)
                {
                    await host.DisposeAsync();
                }
            }
        }

        rows.Add("");
        rows.Add(string.Create(CultureInfo.InvariantCulture,
            $"{mebibytes} MiB image, {chunkMebibytes} MiB chunks, every sender (the store and each receiver) paced to {mebibytesPerSecond} MiB/s by the application; receivers are in-process hosts with their own caches and agent servers on loopback; SHA-256 checked on every receiver."));
        return rows;
    }
}
