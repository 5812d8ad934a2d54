using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Vcm.Drivers;
using Vcm.Drivers.Images;
using Vcm.Drivers.Processes;
using Vcm.Drivers.Rpc;
using Vcm.Testing.Images;
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
        var shaped = new List<string[]>();
        try
        {
            await using (var store = await LoopbackImageStore.StartAsync(LabFixture.ImageStore))
            {
                // Only to write the image and its manifest the way the store keeps them; the manager serves it.
                await store.AddAsync(DistImage, new Dictionary<string, byte[]> { [DistFile] = bytes });
            }

            foreach (var host in lab.HostNames)
            {
                shaped.Add(await ShapeAsync(["-n", $"vcl-{host}"], ct));
            }

            shaped.Add(await ShapeAsync([], ct));
            var agents = lab.HostNames.ToDictionary(h => h, Agent, StringComparer.Ordinal);
            var clock = Stopwatch.StartNew();
            var results = await Task.WhenAll(lab.HostNames.Order(StringComparer.Ordinal).Select((host, i) =>
            {
                var previous = i == 0 ? null : lab.HostNames.Order(StringComparer.Ordinal).ElementAt(i - 1);
                var step = new EnsureImageStep(DistImage) { Peer = previous is null ? null : new ImagePeer(previous, agents[previous].Url, ImageReadToken.For(agents[previous].Key)) };
                return ApplyAsync(host, agents[host], step, ct);
            }));
            var seconds = clock.Elapsed.TotalSeconds;
            output.WriteLine($"{bytes.Length >> 20} MiB to {lab.HostNames.Count} hosts at {DistRate}: {seconds:0.0} s (size/rate {bytes.Length / (double)DistRateBytes:0.0} s)");

            Assert.All(results, r => Assert.Equal(StepOutcome.Created, r.Outcome));
            foreach (var host in lab.HostNames)
            {
                Assert.Equal(sha, await ShaAsync(CachedFile(host)));
            }

            var damaged = lab.HostNames[^1];
            await using (var damage = new FileStream(CachedFile(damaged), FileMode.Open, FileAccess.Write))
            {
                damage.Position = 12345;
                damage.WriteByte((byte)(bytes[12345] ^ 0xff));
            }

            var again = await ApplyAsync(damaged, agents[damaged], new EnsureImageStep(DistImage), ct);
            Assert.Equal(StepOutcome.Updated, again.Outcome);
            Assert.Equal(sha, await ShaAsync(CachedFile(damaged)));
        }
        finally
        {
            foreach (var args in shaped)
            {
                await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("tc", [.. args[..^1], "qdisc", "del", "dev", args[^1], "root"]), ct);
            }

            foreach (var host in lab.HostNames)
            {
                var cached = Path.GetDirectoryName(CachedFile(host))!;
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

    private string DistributionHostData(string host) => Path.Combine(lab.DataDirectory, "lab", "hosts", host);

    private string CachedFile(string host) => Path.Combine(DistributionHostData(host), "images", DistImage, DistFile);

    private (string Url, string Key) Agent(string host)
    {
        var identity = JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(DistributionHostData(host), "agent.json")));
        var mgmt = 254 - (host[0] - 'a');
        return ($"http://192.168.{mgmt}.{10 + int.Parse(host[1..], CultureInfo.InvariantCulture)}:9700", identity.RootElement.GetProperty("key").GetString()!);
    }

    private static async Task<StepResult> ApplyAsync(string host, (string Url, string Key) agent, EnsureImageStep step, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Post, agent.Url + AgentPaths.Apply)
        {
            Content = JsonContent.Create(new ApplyRequest([new HostWork(host, [step])]), options: AgentJson.Options),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agent.Key);
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        var result = (await response.Content.ReadFromJsonAsync<ApplyResponse>(AgentJson.Options, ct))!.Hosts.Single().Results.Single();
        Assert.True(result.Succeeded, $"{host}: {result.Error}");
        return result;
    }

    /// <summary>Shapes the sending side of the management link of a namespace (or of the root's side): tc tbf at <see cref="DistRate"/>; returns the tc arguments naming it.</summary>
    private static async Task<string[]> ShapeAsync(string[] netns, CancellationToken ct)
    {
        var addresses = await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("ip", [.. netns, "-o", "-4", "addr", "show"]), ct);
        var device = addresses.EnsureSuccess().StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .First(f => f.Length > 3 && f[3].StartsWith("192.168.25", StringComparison.Ordinal))[1].TrimEnd(':').Split('@')[0];
        (await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("tc", [.. netns, "qdisc", "replace", "dev", device, "root", "tbf", "rate", DistRate, "burst", "256kb", "latency", "50ms"]), ct)).EnsureSuccess();
        return [.. netns, device];
    }

    private static async Task<string> ShaAsync(string path)
    {
        await using var file = System.IO.File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
    }
}
