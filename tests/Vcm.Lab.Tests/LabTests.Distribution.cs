using System.Diagnostics;
using System.Security.Cryptography;
using Vcm.Drivers.Images;
using Vcm.Drivers.Rpc;
using Vcm.Testing.Images;
using Vcm.Testing.Lab;
using Xunit;
using Xunit.Abstractions;

namespace Vcm.Lab.Tests;

/// <summary>
/// One image to the lab's three hosts over management links shaped with tc tbf (each host's and the manager's
/// sending side), down the chain the manager plans: the real agents in their namespaces, the real store behind the
/// manager. Every host ends with the store's SHA-256; a host's damaged copy is found on the next use and copied again.
/// </summary>
/// <remarks>A part of <see cref="LabTests"/>, so that it runs on the same lab.</remarks>
public sealed partial class LabTests
{
    private const string DistImage = "dist-lab-64m";
    private const string DistFile = "base.qcow2";
    private const string DistRate = "200mbit";
    private const long DistRateBytes = 200_000_000 / 8;

    [Fact]
    public async Task Distribution_ImageDownAChainOverShapedLinks_EveryHostHasTheStoresSha256_AndADamagedCopyIsCopiedAgain()
    {
        var ct = CancellationToken.None;
        var bytes = new byte[64 << 20];
        new Random(7).NextBytes(bytes);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var storeFolder = Path.Combine(LabFixture.ImageStore, DistImage);
        var shaped = new List<ShapedLink>();
        var agents = lab.HostNames.Order(StringComparer.Ordinal).Select(h => LabAgent.Read(lab.DataDirectory, h)).ToList();
        try
        {
            await using (var store = await LoopbackImageStore.StartAsync(LabFixture.ImageStore))
            {
                // Only to write the image and its manifest the way the store keeps them; the manager serves it.
                await store.AddAsync(DistImage, new Dictionary<string, byte[]> { [DistFile] = bytes });
            }

            foreach (var agent in agents)
            {
                shaped.Add(await ShapedLink.ShapeAsync($"vcl-{agent.Host}", DistRate, ct));
            }

            shaped.Add(await ShapedLink.ShapeAsync(null, DistRate, ct));
            var clock = Stopwatch.StartNew();
            var results = await Task.WhenAll(agents.Select((agent, i) =>
                agent.ApplyAsync(new EnsureImageStep(DistImage) { Peer = i == 0 ? null : agents[i - 1].AsPeer }, ct)));
            var seconds = clock.Elapsed.TotalSeconds;
            output.WriteLine($"{bytes.Length >> 20} MiB to {agents.Count} hosts at {DistRate}: {seconds:0.0} s (size/rate {bytes.Length / (double)DistRateBytes:0.0} s)");

            Assert.All(results, r => Assert.Equal(StepOutcome.Created, r.Outcome));
            foreach (var agent in agents)
            {
                Assert.Equal(sha, await ShaAsync(agent.CachedFile(DistImage, DistFile)));
            }

            var damaged = agents[^1];
            await using (var damage = new FileStream(damaged.CachedFile(DistImage, DistFile), FileMode.Open, FileAccess.Write))
            {
                damage.Position = 12345;
                damage.WriteByte((byte)(bytes[12345] ^ 0xff));
            }

            var again = await damaged.ApplyAsync(new EnsureImageStep(DistImage), ct);
            Assert.Equal(StepOutcome.Updated, again.Outcome);
            Assert.Equal(sha, await ShaAsync(damaged.CachedFile(DistImage, DistFile)));
        }
        finally
        {
            foreach (var link in shaped)
            {
                await link.DisposeAsync();
            }

            foreach (var agent in agents)
            {
                var cached = Path.GetDirectoryName(agent.CachedFile(DistImage, DistFile))!;
                if (Directory.Exists(cached))
                {
                    Directory.Delete(cached, recursive: true);
                }
            }

            if (Directory.Exists(storeFolder))
            {
                Directory.Delete(storeFolder, recursive: true);
            }
        }
    }

    private static async Task<string> ShaAsync(string path)
    {
        await using var file = System.IO.File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
    }
}
