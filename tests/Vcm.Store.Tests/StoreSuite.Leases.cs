using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Vcm.Store.Records;
using Xunit;

namespace Vcm.Store.Tests;

public abstract partial class StoreSuite
{
    private const long Lease = 30_000;

    [Fact]
    public async Task ClaimDue_TakesDueAndExpired_NeverAnothersLiveLease()
    {
        var site = await Seed.SiteAsync(Database);
        var dueEarlier = await Seed.ClusterAsync(Database, site.Id, "due-earlier", c => c.NextReconcileMs = Now - 1);
        var dueNow = await Seed.ClusterAsync(Database, site.Id, "due-now", c => c.NextReconcileMs = Now);
        var expiredDue = await Seed.ClusterAsync(Database, site.Id, "expired-due", c => Leased(c, "other", Now - 1, next: Now - 5));
        var expiredNotDue = await Seed.ClusterAsync(Database, site.Id, "expired-not-due", c => Leased(c, "other", Now - 1, next: null));
        var untouched = new[]
        {
            await Seed.ClusterAsync(Database, site.Id, "future", c => c.NextReconcileMs = Now + 1),
            await Seed.ClusterAsync(Database, site.Id, "never", c => c.NextReconcileMs = null),
            await Seed.ClusterAsync(Database, site.Id, "held-due", c => Leased(c, "other", Now + 1000, next: Now - 1)),
            await Seed.ClusterAsync(Database, site.Id, "held-not-due", c => Leased(c, "other", Now + 1000, next: null)),
        };

        var claimed = await ClusterLeases.ClaimDueAsync("me", Now, Lease, 100, Ct);

        Assert.Equal(IdsOf(dueEarlier, dueNow, expiredDue, expiredNotDue), claimed.Order(StringComparer.Ordinal));
        foreach (var id in claimed)
        {
            Assert.Equal(("me", Now + Lease, (long?)null), LeaseOf(await ClusterAsync(id)));
        }

        foreach (var cluster in untouched)
        {
            Assert.Equal(LeaseOf(cluster), LeaseOf(await ClusterAsync(cluster.Id)));
        }

        Assert.Empty(await ClusterLeases.ClaimDueAsync("third", Now, Lease, 100, Ct)); // all held now, none due
        Assert.Empty(await ClusterLeases.ClaimDueAsync("me", Now, Lease, 100, Ct)); // claiming consumed the due times
    }

    [Fact]
    public async Task ClaimDue_Limit_TakesTheEarliestDue()
    {
        var site = await Seed.SiteAsync(Database);
        var clusters = new List<ClusterRecord>();
        foreach (var offset in new[] { 30, 50, 10, 40, 20 })
        {
            clusters.Add(await Seed.ClusterAsync(Database, site.Id, "c" + offset.ToString(CultureInfo.InvariantCulture), c => c.NextReconcileMs = Now - offset));
        }

        var claimed = await ClusterLeases.ClaimDueAsync("me", Now, Lease, 2, Ct);

        Assert.Equal(IdsOf(clusters[1], clusters[3]), claimed.Order(StringComparer.Ordinal));
        Assert.Equal(3, (await ClusterLeases.ClaimDueAsync("me", Now, Lease, 10, Ct)).Count);
    }

    [Fact]
    public async Task ClaimDue_AnothersLeaseExpired_TakenOver()
    {
        var site = await Seed.SiteAsync(Database);
        var cluster = await Seed.ClusterAsync(Database, site.Id, "c1");
        Assert.Equal([cluster.Id], await ClusterLeases.ClaimDueAsync("dead", Now, Lease, 10, Ct));
        Assert.Empty(await ClusterLeases.ClaimDueAsync("alive", Now + Lease - 1, Lease, 10, Ct));

        var taken = await ClusterLeases.ClaimDueAsync("alive", Now + Lease + 1, Lease, 10, Ct);

        Assert.Equal([cluster.Id], taken);
        Assert.Equal(("alive", Now + 2 * Lease + 1, (long?)null), LeaseOf(await ClusterAsync(cluster.Id)));
    }

    [Fact]
    public async Task TryLease_FreeOwnOrExpiredTaken_AnothersLiveLeaseRefused()
    {
        var site = await Seed.SiteAsync(Database);
        var free = await Seed.ClusterAsync(Database, site.Id, "free", c => c.NextReconcileMs = Now + 60_000);
        var held = await Seed.ClusterAsync(Database, site.Id, "held", c => Leased(c, "other", Now + 1000, next: Now - 1));
        var expired = await Seed.ClusterAsync(Database, site.Id, "expired", c => Leased(c, "other", Now - 1, next: Now + 60_000));
        var own = await Seed.ClusterAsync(Database, site.Id, "own", c => Leased(c, "me", Now + 10, next: null));

        Assert.True(await ClusterLeases.TryLeaseAsync(free.Id, "me", Now, Lease, Ct));
        Assert.False(await ClusterLeases.TryLeaseAsync(held.Id, "me", Now, Lease, Ct));
        Assert.True(await ClusterLeases.TryLeaseAsync(expired.Id, "me", Now, Lease, Ct));
        Assert.True(await ClusterLeases.TryLeaseAsync(own.Id, "me", Now, Lease, Ct));

        foreach (var cluster in new[] { free, expired, own })
        {
            Assert.Equal(("me", Now + Lease, (long?)null), LeaseOf(await ClusterAsync(cluster.Id)));
        }

        Assert.Equal(LeaseOf(held), LeaseOf(await ClusterAsync(held.Id)));
        Assert.False(await ClusterLeases.TryLeaseAsync(free.Id, "other", Now, Lease, Ct));
    }

    [Fact]
    public async Task Release_RequestedMeanwhile_KeepsTheEarlierTime_NullMeansNever()
    {
        var site = await Seed.SiteAsync(Database);
        // (requested during the lease, the worker's own next time, expected due time after the release)
        var cases = new (long? Requested, long? Next, long? Expected)[]
        {
            (Now + 500, Now + 900, Now + 500),
            (Now + 900, Now + 500, Now + 500),
            (Now + 700, null, Now + 700),
            (null, Now + 800, Now + 800),
            (null, null, null),
        };
        var clusters = new List<ClusterRecord>();
        foreach (var (requested, next, _) in cases)
        {
            var cluster = await Seed.ClusterAsync(Database, site.Id, "c" + clusters.Count.ToString(CultureInfo.InvariantCulture));
            clusters.Add(cluster);
            Assert.True(await ClusterLeases.TryLeaseAsync(cluster.Id, "me", Now, Lease, Ct));
            if (requested is { } at)
            {
                await ClusterLeases.RequestAsync(cluster.Id, at, Ct);
            }

            await ClusterLeases.ReleaseAsync(cluster.Id, "me", next, Ct);
        }

        for (var i = 0; i < cases.Length; i++)
        {
            Assert.Equal(((string?)null, (long?)null, cases[i].Expected), LeaseOf(await ClusterAsync(clusters[i].Id)));
        }
    }

    [Fact]
    public async Task Request_KeepsTheEarliestRequest()
    {
        var site = await Seed.SiteAsync(Database);
        var cluster = await Seed.ClusterAsync(Database, site.Id, "c1", c => c.NextReconcileMs = null);

        await ClusterLeases.RequestAsync(cluster.Id, Now + 100, Ct);
        await ClusterLeases.RequestAsync(cluster.Id, Now + 200, Ct);
        Assert.Equal(Now + 100, (await ClusterAsync(cluster.Id)).NextReconcileMs);
        await ClusterLeases.RequestAsync(cluster.Id, Now + 50, Ct);
        Assert.Equal(Now + 50, (await ClusterAsync(cluster.Id)).NextReconcileMs);
    }

    [Fact]
    public async Task Release_ByAnotherOwner_ChangesNothing()
    {
        var site = await Seed.SiteAsync(Database);
        var cluster = await Seed.ClusterAsync(Database, site.Id, "c1");
        Assert.True(await ClusterLeases.TryLeaseAsync(cluster.Id, "me", Now, Lease, Ct));

        await ClusterLeases.ReleaseAsync(cluster.Id, "other", Now - 1000, Ct);

        Assert.Equal(("me", Now + Lease, (long?)null), LeaseOf(await ClusterAsync(cluster.Id)));
    }

    [Fact]
    public async Task Renew_ExtendsOnlyOwnListedLeases()
    {
        var site = await Seed.SiteAsync(Database);
        var mine = await Seed.ClusterAsync(Database, site.Id, "mine", c => Leased(c, "me", Now + 10, next: null));
        var mineUnlisted = await Seed.ClusterAsync(Database, site.Id, "mine-unlisted", c => Leased(c, "me", Now + 10, next: null));
        var theirs = await Seed.ClusterAsync(Database, site.Id, "theirs", c => Leased(c, "other", Now + 10, next: null));
        var free = await Seed.ClusterAsync(Database, site.Id, "free", c => c.NextReconcileMs = Now + 5);

        await ClusterLeases.RenewAsync("me", [mine.Id, theirs.Id, free.Id], Now + Lease, Ct);

        Assert.Equal(("me", Now + Lease, (long?)null), LeaseOf(await ClusterAsync(mine.Id)));
        foreach (var cluster in new[] { mineUnlisted, theirs, free })
        {
            Assert.Equal(LeaseOf(cluster), LeaseOf(await ClusterAsync(cluster.Id)));
        }
    }

    [Fact]
    public async Task ForgetOwnLeases_DropsOnlyOwn_MakesThemDue()
    {
        var site = await Seed.SiteAsync(Database);
        var claimed = await Seed.ClusterAsync(Database, site.Id, "claimed", c => Leased(c, "me", Now + Lease, next: null));
        var requestedEarlier = await Seed.ClusterAsync(Database, site.Id, "requested", c => Leased(c, "me", Now + Lease, next: Now - 50));
        var theirs = await Seed.ClusterAsync(Database, site.Id, "theirs", c => Leased(c, "other", Now + Lease, next: null));

        Assert.Equal(2, await ClusterLeases.ForgetOwnLeasesAsync("me", Now, Ct));

        Assert.Equal(((string?)null, (long?)null, (long?)Now), LeaseOf(await ClusterAsync(claimed.Id)));
        Assert.Equal(((string?)null, (long?)null, (long?)(Now - 50)), LeaseOf(await ClusterAsync(requestedEarlier.Id)));
        Assert.Equal(LeaseOf(theirs), LeaseOf(await ClusterAsync(theirs.Id)));
        Assert.Equal(IdsOf(claimed, requestedEarlier), (await ClusterLeases.ClaimDueAsync("me", Now, Lease, 10, Ct)).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// A request for a later time made during the lease must not postpone the interrupted work: the earlier run
    /// died mid-work, and the doc promises "making that work due now" (as an expired lease is due whatever its due time).
    /// </summary>
    [Fact]
    public async Task ForgetOwnLeases_LaterRequestDuringLease_StillDueNow()
    {
        var site = await Seed.SiteAsync(Database);
        var cluster = await Seed.ClusterAsync(Database, site.Id, "c1");
        Assert.True(await ClusterLeases.TryLeaseAsync(cluster.Id, "me", Now, Lease, Ct));
        await ClusterLeases.RequestAsync(cluster.Id, Now + 600_000, Ct);

        Assert.Equal(1, await ClusterLeases.ForgetOwnLeasesAsync("me", Now + 1, Ct));

        Assert.Equal([cluster.Id], await ClusterLeases.ClaimDueAsync("me", Now + 1, Lease, 10, Ct));
    }

    [Fact]
    public async Task ClaimDue_TwoOwnersInParallel_EachClusterClaimedExactlyOnce()
    {
        var site = await Seed.SiteAsync(Database);
        var clusters = Enumerable.Range(0, 200)
            .Select(i => Seed.Cluster(site.Id, "c" + i.ToString(CultureInfo.InvariantCulture), c => c.NextReconcileMs = Now - i % 7))
            .ToList();
        await Seed.AddAsync(Database, [.. clusters]);
        var claims = new ConcurrentBag<(string Owner, string Id)>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task ClaimAllAsync(string owner)
        {
            await start.Task;
            while (true)
            {
                var ids = await ClusterLeases.ClaimDueAsync(owner, Now, Lease, 3, Ct);
                if (ids.Count == 0)
                {
                    return;
                }

                foreach (var id in ids)
                {
                    claims.Add((owner, id));
                }
            }
        }

        var owners = new[] { Task.Run(() => ClaimAllAsync("a")), Task.Run(() => ClaimAllAsync("b")) };
        start.SetResult();
        await Task.WhenAll(owners);

        var byId = claims.GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.Select(c => c.Owner).ToList());
        Assert.Equal(clusters.Select(c => c.Id).Order(StringComparer.Ordinal), byId.Keys.Order(StringComparer.Ordinal));
        Assert.All(byId, kv => Assert.Single(kv.Value));
        await using var db = Database.CreateContext();
        var stored = await db.Clusters.ToDictionaryAsync(c => c.Id, c => LeaseOf(c));
        Assert.All(byId, kv => Assert.Equal((kv.Value[0], Now + Lease, (long?)null), stored[kv.Key]));
    }

    private static void Leased(ClusterRecord cluster, string owner, long expiresMs, long? next)
    {
        cluster.LeaseOwner = owner;
        cluster.LeaseExpiresMs = expiresMs;
        cluster.NextReconcileMs = next;
    }

    private static (string? Owner, long? ExpiresMs, long? NextMs) LeaseOf(ClusterRecord cluster) =>
        (cluster.LeaseOwner, cluster.LeaseExpiresMs, cluster.NextReconcileMs);

    private static IEnumerable<string> IdsOf(params ClusterRecord[] clusters) => clusters.Select(c => c.Id).Order(StringComparer.Ordinal);
}
