using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Clusters;
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
        mine.Phase = ClusterPhase.Provisioning;
        mine.Reason = "first";
        theirs.Phase = ClusterPhase.Releasing;
        theirs.Reason = "second";
        theirs.Attempts = 9;

        await first.SaveChangesAsync(Ct);
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync(Ct));

        var stored = await ClusterAsync(cluster.Id);
        Assert.Equal((ClusterPhase.Provisioning, "first", 0), (stored.Phase, stored.Reason, stored.Attempts));
        Assert.Equal(cluster.Version + 1, stored.Version);
    }

    [Fact]
    public async Task Update_ChangedMeanwhile_ReadsAgainAndSucceeds()
    {
        var site = await Seed.SiteAsync(Database);
        var cluster = await Seed.ClusterAsync(Database, site.Id, "c1");
        var calls = 0;

        var updated = await ClusterStore.UpdateAsync(cluster.Id, c =>
        {
            if (++calls == 1)
            {
                // another writer changes the row between this read and this write
                using var other = Database.CreateContext();
                other.Clusters.AsTracking().Single(x => x.Id == c.Id).Generation++;
                other.SaveChangesAsync().GetAwaiter().GetResult();
            }

            c.Reason = $"fresh {calls}";
            return [];
        }, Ct);

        Assert.Equal(2, calls);
        var stored = await ClusterAsync(cluster.Id);
        Assert.Equal(("fresh 2", cluster.Generation + 1, cluster.Version + 2), (stored.Reason, stored.Generation, stored.Version));
        Assert.Equal(stored.Version, updated!.Version);
    }

    [Fact]
    public async Task Write_InsideAWriteTransactionOfTheSameFlow_RefusedAtOnceInsteadOfWaitingForItself()
    {
        var site = await Seed.SiteAsync(Database);
        var cluster = await Seed.ClusterAsync(Database, site.Id, "c1");
        await using (var db = Database.CreateContext())
        await using (var transaction = await db.BeginWriteAsync(Ct))
        {
            var nested = ClusterStore.RenewAsync(cluster.Id, Now, Ct);
            if (Provider == StoreProvider.Sqlite)
            {
                // SQLite has one writer: the nested write would wait for the outer transaction, which waits for it
                await Assert.ThrowsAsync<WriteReentryException>(() => nested.WaitAsync(TimeSpan.FromSeconds(30)));
            }
            else
            {
                await nested.WaitAsync(TimeSpan.FromSeconds(30)); // row locks: the two transactions do not meet
            }

            await transaction.CommitAsync(Ct);
        }

        await ClusterStore.RenewAsync(cluster.Id, Now + 1, Ct); // the flow may write again once the transaction is over
        Assert.Equal(Now + 1, (await ClusterAsync(cluster.Id)).RenewedMs);
    }
}
