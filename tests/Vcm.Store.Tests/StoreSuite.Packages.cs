using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Packages;
using Vcm.Store.Admission;
using Vcm.Store.Packages;
using Vcm.Store.Records;
using Xunit;

namespace Vcm.Store.Tests;

public abstract partial class StoreSuite
{
    private PackageHistoryStore PackageHistory => new(Database);

    private CacheImageStore CacheImageStore => new(Database);

    [Fact]
    public async Task PackageRequest_RecordedWithItsClustersAdmission_LastNOldestFirst_PerImage()
    {
        var site = await Seed.SiteAsync(Database);
        for (var i = 0; i < 5; i++)
        {
            var cluster = Seed.Cluster(site.Id, $"c{i}");
            await using var transaction = await new AdmissionStore(Database).BeginAsync(site.Id, Ct);
            await transaction.InsertAsync(cluster, [], [], [], [], Ct);
            await transaction.AddRequestAsync(new PackageRequestRecord
            {
                ClusterId = cluster.Id, Image = i == 4 ? "debian-13" : "debian-12", Packages = PackageText.Join(["make", $"p{i}", "gcc"]), AtMs = Now + i,
            }, Ct);
            await transaction.CommitAsync(Ct);
        }

        var recent = await PackageHistory.RecentRequestsAsync("debian-12", 3, Ct);

        Assert.Equal([["gcc", "make", "p1"], ["gcc", "make", "p2"], ["gcc", "make", "p3"]], recent.Select(r => r.Packages));
        Assert.Equal(Now + 3, recent[^1].At.ToUnixTimeMilliseconds());
        Assert.Equal(["debian-12", "debian-13"], await PackageHistory.ImagesAsync(0, Ct));
        Assert.Equal(["debian-13"], await PackageHistory.ImagesAsync(Now + 4, Ct));
    }

    [Fact]
    public async Task PackageRequest_AdmissionRolledBack_NothingRecorded()
    {
        var site = await Seed.SiteAsync(Database);
        var cluster = Seed.Cluster(site.Id, "gone");
        await using (var transaction = await new AdmissionStore(Database).BeginAsync(site.Id, Ct))
        {
            await transaction.InsertAsync(cluster, [], [], [], [], Ct);
            await transaction.AddRequestAsync(new PackageRequestRecord { ClusterId = cluster.Id, Image = "debian-12", Packages = "gcc", AtMs = Now }, Ct);
        }

        Assert.Equal(0, await Seed.CountAsync(Database, "package_requests"));
    }

    [Fact]
    public async Task LayerBuilds_NewestFirst_WithTheirEstimates()
    {
        foreach (var (id, at, estimate) in new[] { ("b1", Now, (long?)null), ("b2", Now + 2, 50_000L), ("b3", Now + 1, 40_000L) })
        {
            await PackageHistory.AddBuildAsync(new LayerBuildRecord
            {
                Id = id, Layer = "debian-12.pk-" + id, Image = "debian-12", Packages = 10, Bytes = 1 << 20, DurationMs = 45_000, EstimatedMs = estimate, AtMs = at,
            }, Ct);
        }

        var builds = await PackageHistory.RecentBuildsAsync(2, Ct);

        Assert.Equal(["b2", "b3"], builds.Select(b => b.Id));
        Assert.Equal(50_000, builds[0].EstimatedMs);
    }

    [Fact]
    public async Task ImageFetch_ByAgentKey_SamplesForEachOfItsHosts_UnknownKeyWritesNothing()
    {
        var site = await Seed.SiteAsync(Database);
        var hosts = await Seed.HostsAsync(Database, site.Id, 2, "agent-1");
        var other = await Seed.HostsAsync(Database, site.Id, 1, "agent-2");

        Assert.True(await PackageHistory.AddFetchAsync("key-agent-1", "/api/v1/images/debian-12/files/base.qcow2", 100 << 20, 2000, Now, Ct));
        Assert.True(await PackageHistory.AddFetchAsync("key-agent-1", "/api/v1/images/micro/files/vmlinuz", 10 << 20, 100, Now + 1, Ct));
        Assert.False(await PackageHistory.AddFetchAsync("key-nobody", "/x", 10 << 20, 100, Now, Ct));

        var samples = await PackageHistory.RecentFetchesAsync(1, Ct);

        Assert.Equal(hosts.Select(h => h.Id).Order(), samples.Select(s => s.HostId).Order());
        Assert.All(samples, s => Assert.Equal(new FetchSample(s.HostId, 10 << 20, 0.1), s));
        Assert.DoesNotContain(samples, s => s.HostId == other[0].Id);
        Assert.Equal(2, await Seed.CountAsync(Database, "image_fetches"));
    }

    [Fact]
    public async Task CacheImage_SavedThenChanged_AStaleWriteIsRefused()
    {
        await CacheImageStore.SaveAsync(new CacheImageRecord { Image = "debian-12", Packages = "gcc,make", State = CacheImageState.Building, Requests = 50, UpdatedMs = Now }, Ct);
        var first = (await CacheImageStore.GetAsync("debian-12", Ct))!;
        var stale = (await CacheImageStore.GetAsync("debian-12", Ct))!;

        first.State = CacheImageState.Ready;
        first.Layer = "debian-12.pk-0123";
        await CacheImageStore.SaveAsync(first, Ct);
        stale.State = CacheImageState.Failed;

        await Assert.ThrowsAnyAsync<DbUpdateException>(() => CacheImageStore.SaveAsync(stale, Ct));
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => CacheImageStore.SaveAsync(
            new CacheImageRecord { Image = "debian-12", Packages = "vim", State = CacheImageState.Building, UpdatedMs = Now }, Ct));
        var stored = Assert.Single(await CacheImageStore.ListAsync(Ct));
        Assert.Equal((CacheImageState.Ready, "debian-12.pk-0123", 2L), (stored.State, stored.Layer, stored.Version));
    }

    [Fact]
    public async Task ClusterEstimate_KeptAsJson_ReadBackWhole()
    {
        var site = await Seed.SiteAsync(Database);
        var estimate = new ReadyEstimate(
        [
            new WayEstimate(ReadyWay.BuildLayer, 52.5, "build …") { Boots = "debian-12.pk-0123", BuildSeconds = 37.5 },
            new WayEstimate(ReadyWay.BaseInstall, 130, "install …") { Boots = "debian-12" },
        ]);
        await Seed.ClusterAsync(Database, site.Id, "est", c => c.Estimate = estimate);
        await Seed.ClusterAsync(Database, site.Id, "none");

        var read = await ClusterStore.FindAsync("est", Ct);

        Assert.Equal(estimate.Considered, read!.Estimate!.Considered);
        Assert.Equal(ReadyWay.BuildLayer, read.Estimate.Way);
        Assert.Null((await ClusterStore.FindAsync("none", Ct))!.Estimate);
    }
}
