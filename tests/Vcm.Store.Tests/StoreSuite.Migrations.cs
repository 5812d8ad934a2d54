using Dapper;
using Microsoft.EntityFrameworkCore;
using Vcm.Testing;
using Xunit;

namespace Vcm.Store.Tests;

public abstract partial class StoreSuite
{
    [Fact]
    public async Task Migrate_EmptyDatabase_AppliesEveryScriptOnce()
    {
        await using var empty = await TestDatabase.CreateAsync(Provider, migrate: false);

        await empty.Database.MigrateAsync(Ct);

        var scripts = Migrator.Scripts(Provider);
        Assert.NotEmpty(scripts);
        await using var db = empty.Database.CreateContext();
        var applied = (await db.Database.GetDbConnection().QueryAsync<(long Version, string Name)>(
            "SELECT CAST(version AS BIGINT), name FROM schema_migrations ORDER BY version")).ToList();
        Assert.Equal(scripts.Select(s => ((long)s.Version, s.Name)), applied);
        var images = await db.Images.OrderBy(i => i.Name).Select(i => i.Name).ToListAsync();
        Assert.Equal(["debian-12", "micro"], images);
        var snapshot = await DbSnapshot.TakeAsync(empty.Database); // every table is there
        Assert.All(DbSnapshot.Tables.Except(["images", "schema_migrations"]), t => Assert.Empty(snapshot[t]));
    }

    [Fact]
    public async Task Migrate_Again_ChangesNothing()
    {
        var site = await Seed.SiteAsync(Database);
        var hosts = await Seed.HostsAsync(Database, site.Id, 2);
        var cluster = Seed.Cluster(site.Id, "c1");
        await Seed.InsertAsync(Database, cluster, [Seed.Node(cluster.Id, hosts[0].Id, 0)], [Seed.Claim(cluster.Id, hosts[0].Id, Now, Now + 1000)]);
        var before = await DbSnapshot.TakeAsync(Database);

        await Database.MigrateAsync(Ct);
        await Database.MigrateAsync(Ct);

        var after = await DbSnapshot.TakeAsync(Database);
        Assert.Equal("", DbSnapshot.Diff(before, after));
        Assert.Equal(Migrator.Scripts(Provider).Count, after["schema_migrations"].Count);
    }
}
