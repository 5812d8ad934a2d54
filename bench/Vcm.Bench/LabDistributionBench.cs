using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Vcm.Agent.Linux.Images.Distribution;
using Vcm.Drivers.Images;
using Vcm.Drivers.Rpc;
using Vcm.Testing;
using Vcm.Testing.Images;
using Vcm.Testing.Lab;

namespace Vcm.Bench;

/// <summary>
/// Distribution time of one image from the site's store (the manager of a `vcm up --lab 1xH`) to 1, 2, 4, 8 of the
/// lab's hosts down a chain (each host copying from the one before while it still receives), every management link
/// shaped with tc tbf to the same rate on its sending side: the real agents in their namespaces, the real store.
/// Compared with size/rate, the time one copy over one link takes, plus the chain's fill (a chunk per extra hop).
/// </summary>
internal sealed class LabDistributionBench(int mebibytes, int megabitsPerSecond, IReadOnlyList<int> receivers)
{
    private const string Image = "bench-dist";
    private const string File = "base.qcow2";

    public async Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken)
    {
        var hostCount = receivers.Max();
        using var data = new TempDirectory("vcm-bench-labdist");
        var bytes = new byte[(long)mebibytes << 20];
        new Random(1).NextBytes(bytes);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var storeFolder = Path.Combine(BenchLab.Images, Image);
        var rate = megabitsPerSecond * 1_000_000 / 8.0;
        var ideal = bytes.Length / rate;
        var chunk = new ImageTransferOptions().ChunkSize;
        var rows = new List<string>
        {
            "| hosts | time (s) | size/rate (s) | + fill (s) | time ÷ (size/rate) | time ÷ (size/rate + fill) |",
            "|---|---|---|---|---|---|",
        };
        try
        {
            await using (var store = await LoopbackImageStore.StartAsync(BenchLab.Images))
            {
                // Only to write the image and its manifest the way the store keeps them; the lab's manager serves it.
                await store.AddAsync(Image, new Dictionary<string, byte[]> { [File] = bytes });
            }

            bytes = [];
            var (_, up) = await BenchLab.StartAsync(data, $"1x{hostCount.ToString(CultureInfo.InvariantCulture)}");
            await using (up)
            {
                var agents = Enumerable.Range(1, hostCount).Select(i => LabAgent.Read(data.Combine("site"), $"a{i}")).ToList();
                var links = new List<ShapedLink>();
                try
                {
                    links.Add(await ShapedLink.ShapeAsync(null, $"{megabitsPerSecond}mbit", cancellationToken));
                    foreach (var agent in agents)
                    {
                        links.Add(await ShapedLink.ShapeAsync($"vcl-{agent.Host}", $"{megabitsPerSecond}mbit", cancellationToken));
                    }

                    foreach (var count in receivers)
                    {
                        var chain = agents.Take(count).ToList();
                        Console.Error.WriteLine($"bench: {mebibytes} MiB to {count} lab hosts over {megabitsPerSecond} Mbit/s links");
                        var clock = Stopwatch.StartNew();
                        await Task.WhenAll(chain.Select((agent, i) =>
                            agent.ApplyAsync(new EnsureImageStep(Image) { Peer = i == 0 ? null : chain[i - 1].AsPeer }, cancellationToken)));
                        var seconds = clock.Elapsed.TotalSeconds;
                        foreach (var agent in chain)
                        {
                            await using var copy = System.IO.File.OpenRead(agent.CachedFile(Image, File));
                            if (Convert.ToHexStringLower(await SHA256.HashDataAsync(copy, cancellationToken)) != sha)
                            {
                                throw new InvalidOperationException($"host {agent.Host} has another SHA-256 than the store");
                            }

                            Directory.Delete(Path.GetDirectoryName(agent.CachedFile(Image, File))!, recursive: true);
                        }

                        var fill = (count - 1) * chunk / rate;
                        rows.Add(string.Create(CultureInfo.InvariantCulture,
                            $"| {count} | {seconds:0.0} | {ideal:0.0} | {fill:0.0} | {seconds / ideal:0.00} | {seconds / (ideal + fill):0.00} |"));
                    }
                }
                finally
                {
                    foreach (var link in links)
                    {
                        await link.DisposeAsync();
                    }
                }
            }
        }
        finally
        {
            if (Directory.Exists(storeFolder))
            {
                Directory.Delete(storeFolder, recursive: true);
            }
        }

        rows.Add("");
        rows.Add(string.Create(CultureInfo.InvariantCulture,
            $"{mebibytes} MiB of random bytes (incompressible), {chunk >> 20} MiB chunks, from the store of `vcm up --lab 1x{hostCount}` to its hosts' agents in their namespaces; every management link's sending side (the manager's and each host's) shaped with tc tbf to {megabitsPerSecond} Mbit/s; SHA-256 checked on every host; each row starts with empty host caches."));
        return rows;
    }
}
