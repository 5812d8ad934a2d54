using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Clusters;
using Vcm.Store.Clusters;
using Xunit;

namespace Vcm.Store.Tests;

public abstract partial class StoreSuite
{
    [Fact]
    public async Task ActiveName_TwoLiveClusters_Refused_UsableAgainOnceReleased()
    {
        var site = await Seed.SiteAsync(Database);
        var first = await Seed.ClusterAsync(Database, site.Id, "web");

        await AssertUniqueViolationAsync(Seed.Cluster(site.Id, "web"));
        Assert.Equal(1, await Seed.CountAsync(Database, "clusters"));

        await using (var db = Database.CreateContext())
        {
            var stored = await db.Clusters.AsTracking().SingleAsync(c => c.Id == first.Id);
            stored.ActiveName = null;
            stored.Phase = ClusterPhase.Released;
            await db.SaveChangesAsync(Ct);
        }

        Assert.False(await ClusterStore.NameIsLiveAsync("web", Ct));
        var second = await Seed.ClusterAsync(Database, site.Id, "web", c => c.CreatedMs = Now + 1);
        Assert.True(await ClusterStore.NameIsLiveAsync("web", Ct));
        Assert.Equal(second.Id, (await ClusterStore.FindAsync("web", Ct))?.Id);
        await AssertUniqueViolationAsync(Seed.Cluster(site.Id, "web"));
    }

    [Fact]
    public async Task ActiveVni_UniquePerSite_FreeAgainOnceReleased()
    {
        var a = await Seed.SiteAsync(Database, "a");
        var b = await Seed.SiteAsync(Database, "b", isLocal: false);
        var first = await Seed.ClusterAsync(Database, a.Id, "a1", c => c.Vni = c.ActiveVni = 1005);

        await AssertUniqueViolationAsync(Seed.Cluster(a.Id, "a2", c => c.Vni = c.ActiveVni = 1005));
        await Seed.ClusterAsync(Database, b.Id, "b1", c => c.Vni = c.ActiveVni = 1005);
        await Seed.ClusterAsync(Database, a.Id, "a-none-1", c => c.Vni = c.ActiveVni = null);
        await Seed.ClusterAsync(Database, a.Id, "a-none-2", c => c.Vni = c.ActiveVni = null);

        await using (var db = Database.CreateContext())
        {
            (await db.Clusters.AsTracking().SingleAsync(c => c.Id == first.Id)).ActiveVni = null;
            await db.SaveChangesAsync(Ct);
        }

        await Seed.ClusterAsync(Database, a.Id, "a3", c => c.Vni = c.ActiveVni = 1005);
        Assert.Equal(5, await Seed.CountAsync(Database, "clusters"));
    }

    [Fact]
    public async Task UsedVnis_ExactlyTheLiveVnisOfTheSite()
    {
        var a = await Seed.SiteAsync(Database, "a");
        var b = await Seed.SiteAsync(Database, "b", isLocal: false);
        var live = await Seed.ClusterAsync(Database, a.Id, "live-1", c => c.Vni = c.ActiveVni = 1010);
        await Seed.ClusterAsync(Database, a.Id, "released", c => (c.Vni, c.ActiveVni, c.ActiveName) = (1011, null, null));
        await Seed.ClusterAsync(Database, a.Id, "live-2", c => c.Vni = c.ActiveVni = 1012);
        await Seed.ClusterAsync(Database, a.Id, "no-vni-yet");
        var other = await Seed.ClusterAsync(Database, b.Id, "other-site", c => c.Vni = c.ActiveVni = 1013);

        await using var atA = (await ClusterSession.OpenAsync(Database, live.Id, Ct))!;
        await using var atB = (await ClusterSession.OpenAsync(Database, other.Id, Ct))!;

        Assert.Equal([1010, 1012], (await atA.UsedVnisAsync(Ct)).Order());
        Assert.Equal([1013], await atB.UsedVnisAsync(Ct));
    }

    [Fact]
    public async Task VpnPorts_UniqueWhileLive_FreeAgainOnceCleared()
    {
        var site = await Seed.SiteAsync(Database);
        var home = await Seed.ClusterAsync(Database, site.Id, "home");
        await Seed.AddAsync(Database, Part(home.Id, "b", 30000));

        await AssertUniqueViolationAsync(Part(home.Id, "c", 30000));
        await Seed.AddAsync(Database, Part(home.Id, "c", 30001), Part(home.Id, "d", null), Part(home.Id, "e", null));
        await Seed.ClusterAsync(Database, site.Id, "x@b", c => (c.HomeSite, c.VpnPort) = ("b", 40000));
        await AssertUniqueViolationAsync(Seed.Cluster(site.Id, "y@b", c => (c.HomeSite, c.VpnPort) = ("b", 40000)));

        await using (var db = Database.CreateContext())
        {
            (await db.ClusterParts.AsTracking().SingleAsync(p => p.Site == "b")).VpnPort = null;
            await db.SaveChangesAsync(Ct);
        }

        await Seed.AddAsync(Database, Part(home.Id, "f", 30000));
    }

    private static Records.ClusterPartRecord Part(string clusterId, string site, int? port) => new()
    {
        Id = Domain.Common.Ids.New(), ClusterId = clusterId, Site = site, State = Domain.Federation.PartState.Admitted, Vpn = "{}", VpnPort = port, UpdatedMs = Now, Version = 1,
    };
}
