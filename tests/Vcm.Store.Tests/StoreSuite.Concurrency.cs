using Microsoft.EntityFrameworkCore;
using Vcm.Store.Clusters;
using Xunit;

namespace Vcm.Store.Tests;

public abstract partial class StoreSuite
{
    [Fact]
    public async Task Save_TwoWritersOfOneVersion_FirstWinsSecondRefused()
    {
        var site = await Seed.SiteAsync(Database);
        var cluster = await Seed.ClusterAsync(Database, site.Id, "c1");
        await using var first = Database.CreateContext();
        await using var second = Database.CreateContext();
        var mine = await first.Clusters.AsTracking().SingleAsync(c => c.Id == cluster.Id);
        var theirs = await second.Clusters.AsTracking().SingleAsync(c => c.Id == cluster.Id);
        mine.Phase = "Provisioning";
        mine.Reason = "first";
        theirs.Phase = "Releasing";
        theirs.Reason = "second";
        theirs.Attempts = 9;

        Assert.True(await ClusterStore.SaveAsync(first, Ct));
        Assert.False(await ClusterStore.SaveAsync(second, Ct));

        var stored = await ClusterAsync(cluster.Id);
        Assert.Equal(("Provisioning", "first", 0), (stored.Phase, stored.Reason, stored.Attempts));
        Assert.Equal(cluster.Version + 1, stored.Version);
    }

    [Fact]
    public async Task Save_RefusedWriter_RereadsAndSucceeds()
    {
        var site = await Seed.SiteAsync(Database);
        var cluster = await Seed.ClusterAsync(Database, site.Id, "c1");
        await using var stale = Database.CreateContext();
        var old = await stale.Clusters.AsTracking().SingleAsync(c => c.Id == cluster.Id);
        await using (var other = Database.CreateContext())
        {
            (await other.Clusters.AsTracking().SingleAsync(c => c.Id == cluster.Id)).Generation++;
            Assert.True(await ClusterStore.SaveAsync(other, Ct));
        }

        old.Reason = "stale";
        Assert.False(await ClusterStore.SaveAsync(stale, Ct));
        await using var fresh = Database.CreateContext();
        var reread = await fresh.Clusters.AsTracking().SingleAsync(c => c.Id == cluster.Id);
        reread.Reason = "fresh";
        Assert.True(await ClusterStore.SaveAsync(fresh, Ct));

        var stored = await ClusterAsync(cluster.Id);
        Assert.Equal(("fresh", cluster.Generation + 1, cluster.Version + 2), (stored.Reason, stored.Generation, stored.Version));
    }
}
