using System.Net;
using System.Net.Http.Headers;
using Vcm.Drivers;
using Vcm.Drivers.Images;
using Vcm.Drivers.Rpc;
using Vcm.Testing;
using Vcm.Testing.Images;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Images.Distribution;

/// <summary>Several hosts copying one image down a chain (each from the one before while it still receives), and a damaged cached layer.</summary>
public sealed class ChainTests : DistributionTests
{
    [Fact]
    public async Task FourHostsInAChain_EachHasTheImage_AndTheStoreSentItAboutOnce()
    {
        var bytes = DistributionLab.Bytes(64 * DistributionLab.Chunk, 10);
        await Lab.Store.AddAsync("big", new Dictionary<string, byte[]> { [File] = bytes, ["vmlinuz"] = DistributionLab.Bytes(300_000, 11) });
        // The store's link is the slow one (64 MiB at 32 MiB/s): hosts further down copy while those before them still receive.
        Lab.Store.Rate = 32L * DistributionLab.Chunk;
        var hosts = new List<ImageHost>();
        for (var i = 1; i <= 4; i++)
        {
            hosts.Add(await Lab.HostAsync($"h{i}"));
        }

        var outcomes = await Task.WhenAll(hosts.Select((h, i) => h.Driver.EnsureImageAsync("big", i == 0 ? null : hosts[i - 1].AsPeer, Ct)));

        Assert.All(outcomes, o => Assert.Equal(EnsureOutcome.Created, o));
        foreach (var host in hosts)
        {
            Assert.Equal(DistributionLab.Sha(bytes), await DistributionLab.ShaAsync(host.ImagePath("big", File)));
        }

        Assert.InRange(Lab.Store.Sent("big", File), bytes.Length, bytes.Length + 2L * DistributionLab.Chunk);
    }

    [Fact]
    public async Task PredecessorUnreachableOrRefusing_TheHostCopiesFromTheStore()
    {
        var bytes = await AddImageAsync("alone", 4, 12);
        var first = await Lab.HostAsync("h1");
        var second = await Lab.HostAsync("h2");
        var gone = new ImagePeer("gone", $"http://127.0.0.1:{FreePort.Next()}", "x");
        var wrongToken = first.AsPeer with { Token = "not-the-token" };

        Assert.Equal(EnsureOutcome.Created, await first.Driver.EnsureImageAsync("alone", gone, Ct));
        Assert.Equal(EnsureOutcome.Created, await second.Driver.EnsureImageAsync("alone", wrongToken, Ct));

        Assert.Equal(DistributionLab.Sha(bytes), await DistributionLab.ShaAsync(first.ImagePath("alone", File)));
        Assert.Equal(DistributionLab.Sha(bytes), await DistributionLab.ShaAsync(second.ImagePath("alone", File)));
        Assert.Equal(2L * bytes.Length, Lab.Store.Sent("alone", File));
    }

    [Fact]
    public async Task PeerWithADamagedCopy_BadChunksComeFromTheStore()
    {
        var bytes = await AddImageAsync("bad", 4, 13);
        var first = await Lab.HostAsync("h1");
        var second = await Lab.HostAsync("h2");
        await first.Driver.EnsureImageAsync("bad", Ct);
        await using (var damage = new FileStream(first.ImagePath("bad", File), FileMode.Open, FileAccess.Write))
        {
            damage.Position = 2L * DistributionLab.Chunk + 7;
            damage.WriteByte((byte)(bytes[(2 * DistributionLab.Chunk) + 7] ^ 0xff));
        }

        var sent = Lab.Store.Sent("bad", File);
        Assert.Equal(EnsureOutcome.Created, await second.Driver.EnsureImageAsync("bad", first.AsPeer, Ct));

        Assert.Equal(DistributionLab.Sha(bytes), await DistributionLab.ShaAsync(second.ImagePath("bad", File)));
        // Chunks 0 and 1 came from the peer; from the damaged chunk on the store sent the rest.
        Assert.Equal(2L * DistributionLab.Chunk, Lab.Store.Sent("bad", File) - sent);
    }

    [Fact]
    public async Task ImageFileRoute_OpensOnlyWithTheReadTokenOrTheKey_AndOnlyForImageFiles()
    {
        await AddImageAsync("guarded", 0, 14, extra: 1000);
        var host = await Lab.HostAsync("h1");
        await host.Driver.EnsureImageAsync("guarded", Ct);
        var peer = host.AsPeer;
        using var http = new HttpClient();

        async Task<HttpStatusCode> GetAsync(string path, string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, peer.AgentUrl + path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Range = new RangeHeaderValue(10, 19);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.PartialContent, await GetAsync(AgentPaths.ImageFile("h1", "guarded", File), peer.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(AgentPaths.ImageFile("h1", "guarded", File), "wrong"));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(AgentPaths.Hosts, peer.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(AgentPaths.Inventory("h1"), peer.Token));
    }

    [Fact]
    public async Task DamagedCachedLayer_IsFoundOnUseAndCopiedAgain_ItsParentUntouched()
    {
        var parent = await AddImageAsync("deb", 3, 20);
        var layer = await AddImageAsync("deb.pk-0123", 2, 21, extra: 99, parent: "deb", parentSha256: DistributionLab.Sha(parent));
        var host = await Lab.HostAsync("h1");
        Assert.Equal(EnsureOutcome.Created, await host.Driver.EnsureImageAsync("deb.pk-0123", Ct));
        Assert.Equal(EnsureOutcome.Unchanged, await host.Driver.EnsureImageAsync("deb.pk-0123", Ct));
        var (parentSent, layerSent) = (Lab.Store.Sent("deb", File), Lab.Store.Sent("deb.pk-0123", File));

        await using (var damage = new FileStream(host.ImagePath("deb.pk-0123", File), FileMode.Open, FileAccess.Write))
        {
            damage.Position = DistributionLab.Chunk + 5;
            damage.Write([0, 1, 2, 3]);
        }

        Assert.NotEqual(DistributionLab.Sha(layer), await DistributionLab.ShaAsync(host.ImagePath("deb.pk-0123", File)));
        Assert.Equal(EnsureOutcome.Updated, await host.Driver.EnsureImageAsync("deb.pk-0123", Ct));

        Assert.Equal(DistributionLab.Sha(layer), await DistributionLab.ShaAsync(host.ImagePath("deb.pk-0123", File)));
        Assert.Equal(layer.Length, Lab.Store.Sent("deb.pk-0123", File) - layerSent);
        Assert.Equal(parentSent, Lab.Store.Sent("deb", File));
        Assert.Equal(EnsureOutcome.Unchanged, await host.Driver.EnsureImageAsync("deb.pk-0123", Ct));
        Assert.Equal(["deb", "deb.pk-0123"], (await host.Driver.ListAsync(Ct)).Images);
    }
}
