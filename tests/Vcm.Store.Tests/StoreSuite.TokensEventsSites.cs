using System.Globalization;
using Vcm.Store.Auth;
using Vcm.Testing;
using Xunit;

namespace Vcm.Store.Tests;

public abstract partial class StoreSuite
{
    [Fact]
    public async Task Token_OnlyItsHashIsStored_KindFound()
    {
        var admin = TokenStore.NewSecret("vcm_admin_");
        var join = TokenStore.NewSecret("vcm_join_");

        await TokenStore.AddAsync("admin", admin, Now, null, Ct);
        await TokenStore.AddAsync("join", join, Now, null, Ct);
        await TokenStore.AddAsync("admin", admin, Now, null, Ct); // the same token again: kept once

        var snapshot = await DbSnapshot.TakeAsync(Database);
        Assert.Equal(2, snapshot["tokens"].Count);
        Assert.All(snapshot.Values.SelectMany(rows => rows), row =>
        {
            Assert.DoesNotContain(admin, row, StringComparison.Ordinal);
            Assert.DoesNotContain(join, row, StringComparison.Ordinal);
        });
        Assert.Contains(snapshot["tokens"], row => row.Contains("hash=" + TokenStore.Hash(admin), StringComparison.Ordinal));
        Assert.Equal("admin", await TokenStore.KindOfAsync(admin, Now, Ct));
        Assert.Equal("join", await TokenStore.KindOfAsync(join, Now + 1_000_000_000, Ct));
        Assert.Null(await TokenStore.KindOfAsync(admin + "x", Now, Ct));
        Assert.Null(await TokenStore.KindOfAsync(TokenStore.Hash(admin), Now, Ct)); // the stored hash is no token
        Assert.True(await TokenStore.AnyAsync("join", Ct));
    }

    [Fact]
    public async Task Token_Expired_Refused()
    {
        var token = TokenStore.NewSecret("vcm_join_");
        await TokenStore.AddAsync("join", token, Now, Now + 1000, Ct);

        Assert.Equal("join", await TokenStore.KindOfAsync(token, Now + 999, Ct));
        Assert.Null(await TokenStore.KindOfAsync(token, Now + 1001, Ct));
    }

    [Fact]
    public async Task Events_List_TheLastNOldestFirst()
    {
        var site = await Seed.SiteAsync(Database);
        var cluster = await Seed.ClusterAsync(Database, site.Id, "c1");
        var other = await Seed.ClusterAsync(Database, site.Id, "c2");
        foreach (var at in new[] { 5, 1, 9, 3, 7, 2, 10, 4, 8, 6 })
        {
            await EventStore.AddAsync(Seed.Event(cluster.Id, Now + at, "e" + at.ToString(CultureInfo.InvariantCulture)), Ct);
        }

        await EventStore.AddAsync(Seed.Event(other.Id, Now + 100, "other"), Ct);

        var last = await EventStore.ListAsync(cluster.Id, 3, Ct);

        Assert.Equal(["e8", "e9", "e10"], last.Select(e => e.Message));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => Now + i), (await EventStore.ListAsync(cluster.Id, 100, Ct)).Select(e => e.AtMs));
        Assert.Equal(["other"], (await EventStore.ListAsync(other.Id, 100, Ct)).Select(e => e.Message));
    }

    [Fact]
    public async Task Sites_EnsureLocal_Idempotent_FollowsTheConfiguration()
    {
        var first = await SiteStore.EnsureLocalAsync("lab", 1000, 1999, Ct);
        var before = await DbSnapshot.TakeAsync(Database);

        var again = await SiteStore.EnsureLocalAsync("lab", 1000, 1999, Ct);

        Assert.Equal((first.Id, "lab", true), (again.Id, again.Name, again.IsLocal));
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(Database)));

        var renamed = await SiteStore.EnsureLocalAsync("lab-2", 2000, 2999, Ct);

        var site = Assert.Single(await SiteStore.ListAsync(Ct));
        Assert.Equal((first.Id, "lab-2", 2000, 2999, first.Version + 1), (site.Id, site.Name, site.VniFirst, site.VniLast, site.Version));
        Assert.Equal(first.Id, renamed.Id);
    }

    [Fact]
    public async Task Sites_EnsureLocal_ManyManagersAtOnce_OneSite()
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var managers = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await SiteStore.EnsureLocalAsync("lab", 1000, 1999, Ct);
        })).ToList();
        start.SetResult();

        var sites = await Task.WhenAll(managers);

        var stored = Assert.Single(await SiteStore.ListAsync(Ct));
        Assert.All(sites, s => Assert.Equal(stored.Id, s.Id));
    }
}
