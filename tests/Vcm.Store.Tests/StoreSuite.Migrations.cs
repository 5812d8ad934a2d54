using Dapper;
using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Clusters;
using Vcm.Domain.Federation;
using Vcm.Domain.Sizes;
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

    [Fact]
    public async Task Migrate_Version5_RewritesSpecsIntoTheOneShape_AndMovesVpnPortsIntoColumns()
    {
        await using var old = await TestDatabase.CreateAsync(Provider, migrate: false);
        await old.Database.MigrateAsync(Ct, upTo: 4);
        await using (var db = old.Database.CreateContext())
        {
            var connection = db.Database.GetDbConnection();
            await connection.ExecuteAsync(
                "INSERT INTO sites (id, name, is_local, vni_first, vni_last, calendar_version, version) VALUES ('s1', 'a', TRUE, 1000, 1999, 1, 1)");
            const string columns = "id, name, active_name, site_id, spec, phase, start_ms, end_ms, created_ms, updated_ms, generation, observed_generation, " +
                "nodes_total, nodes_ready, subnet, attempts, phase_since_ms, version, home_site, home_cluster_id, part_spec";
            await connection.ExecuteAsync(
                $"INSERT INTO clusters ({columns}) VALUES ('c1', 'web', 'web', 's1', @spec, 'Ready', 1924423200123, 1924434000000, 1, 1, 1, 1, 3, 3, '10.9.0.0/24', 0, 1, 1, NULL, NULL, NULL)",
                new { spec = """{"workers":2,"head":true,"cpus":2,"memoryMb":1536,"diskMb":4096,"sharedMb":1024,"image":"micro","packages":["htop"],"sshKeys":["ssh-ed25519 AAAA k"],"sites":["a:2","b:1"],"policy":"spread","wanRateMbit":50}""" });
            await connection.ExecuteAsync(
                $"INSERT INTO clusters ({columns}) VALUES ('p1', 'x@b', 'x@b', 's1', @spec, 'Ready', 1924423200000, 1924434000000, 1, 1, 1, 1, 1, 1, '10.8.0.0/24', 0, 1, 1, 'b', 'h1', @part)",
                new
                {
                    spec = """{"workers":3,"head":true,"cpus":1,"memoryMb":512,"diskMb":2048,"image":"micro","packages":[],"sshKeys":[],"sites":[],"policy":"pack"}""",
                    part = """{"vpn":{"serverAddress":"172.16.0.1","serverPort":30001,"caCertificate":"CA","certificate":"C","privateKey":"K","tlsCryptKey":"T","rateMbit":null},"clientPort":40002}""",
                });
            await connection.ExecuteAsync(
                "INSERT INTO cluster_parts (id, cluster_id, site, state, vpn, updated_ms, version) VALUES ('cp1', 'c1', 'b', 'admitted', @vpn, 1, 1)",
                new { vpn = """{"port":30001,"keys":{"caCertificate":"CA","serverCertificate":"SC","serverKey":"SK","clientCertificate":"CC","clientKey":"CK","tlsCryptKey":"T"},"clientPort":40002}""" });
        }

        await old.Database.MigrateAsync(Ct);

        await using var read = old.Database.CreateContext();
        var web = await read.Clusters.SingleAsync(c => c.Id == "c1");
        Assert.Equal(
            ("web", 2, 2, "1536M", "4G", "1G", "htop", "a:2,b:1", PlacementPolicy.Spread, "50M", "10.9.0.0/24"),
            (web.Spec.Name, web.Spec.Workers, web.Spec.Cpus, web.Spec.Memory.ToString(), web.Spec.Disk.ToString(), web.Spec.Shared?.ToString(),
                string.Join(",", web.Spec.Packages), string.Join(",", web.Spec.Sites), web.Spec.Policy, web.Spec.WanRate?.ToString(), web.Spec.Subnet.ToString()));
        Assert.Equal((1924423200123L, 1924434000000L), (web.Spec.Start.ToUnixTimeMilliseconds(), web.Spec.End.ToUnixTimeMilliseconds()));
        Assert.True(web.Spec.Head);
        Assert.Empty(web.Conditions);
        var part = await read.Clusters.SingleAsync(c => c.Id == "p1");
        Assert.Equal(("x@b", (ByteSize?)null, 40002), (part.Spec.Name, part.Spec.Shared, part.VpnPort));
        using (var vpn = System.Text.Json.JsonDocument.Parse(part.PartVpn!))
        {
            Assert.Equal(30001, vpn.RootElement.GetProperty("serverPort").GetInt32());
            Assert.False(vpn.RootElement.TryGetProperty("clientPort", out _));
        }

        var row = await read.ClusterParts.SingleAsync();
        Assert.Equal((PartState.Admitted, 30001, 40002), (row.State, row.VpnPort, row.PeerVpnPort));
        using var keys = System.Text.Json.JsonDocument.Parse(row.Vpn);
        Assert.Equal(("CA", "SK"), (keys.RootElement.GetProperty("caCertificate").GetString(), keys.RootElement.GetProperty("serverKey").GetString()));
    }
}
