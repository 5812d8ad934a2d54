using System.Security.Cryptography;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Clusters;
using Vcm.Domain.Common;
using Vcm.Domain.Federation;
using Vcm.Store.Federation;
using Vcm.Store.Hosts;
using Vcm.Store.Records;
using Vcm.Store.Secrets;
using Vcm.Testing;
using Xunit;

namespace Vcm.Store.Tests;

public abstract partial class StoreSuite
{
    private static string PrivateKeyPem() =>
        "-----BEGIN OPENSSH PRIVATE KEY-----\n" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(180)) + "\n-----END OPENSSH PRIVATE KEY-----\n";

    private static string Random(string what) => what + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Every kind of secret the database keeps, written through the stores as the manager writes them.</summary>
    private async Task<(string ClusterId, string AgentKey, IReadOnlyList<string> Secrets)> WriteSecretsAsync()
    {
        var site = await Seed.SiteAsync(Database);
        var agentKey = Random("agent-key");
        var host = Assert.Single((await HostStore.JoinAsync(site.Id, "agent-s", agentKey, "http://agent", [new HostStore.HostReport("s1", 7, 8, 8192, 100_000, true, "10.0.0.1", "sim")], Now, Ct)).Hosts);
        var adminKey = PrivateKeyPem();
        var partVpn = $$"""{"serverAddress":"172.16.0.1","serverPort":30001,"privateKey":"{{Random("client-key")}}"}""";
        var cluster = Seed.Cluster(site.Id, "sec", c => { c.AdminPrivateKey = adminKey; c.AdminPublicKey = "ssh-ed25519 AAAA admin"; c.PartVpn = partVpn; });
        var tokens = new[] { Random("token"), Random("token") };
        var hostKeys = new[] { PrivateKeyPem(), PrivateKeyPem() };
        var nodes = tokens.Select((t, i) => Seed.Node(cluster.Id, host.Id, i)).ToList();
        for (var i = 0; i < nodes.Count; i++)
        {
            nodes[i].Token = tokens[i];
            nodes[i].HostKeyPrivate = hostKeys[i];
        }

        await Seed.InsertAsync(Database, cluster, nodes, []);
        var partKeys = $$$"""{"port":30001,"keys":{"serverKey":"{{{Random("server-key")}}}","clientKey":"{{{Random("client-key")}}}"}}""";
        await Seed.AddAsync(Database, new ClusterPartRecord { Id = Ids.New(), ClusterId = cluster.Id, Site = "b", State = PartState.Admitted, Vpn = partKeys, UpdatedMs = Now, Version = 1 });
        var ourKey = Random("our-key");
        await new PeerStore(Database).SaveAsync("b", "http://b", ourKey, Random("their-key"), null, Now, Ct);
        return (cluster.Id, agentKey, [adminKey, partVpn, partKeys, ourKey, agentKey, .. tokens, .. hostKeys]);
    }

    [Fact]
    public async Task Secrets_WrittenThroughTheStores_AreNotInTheRawDatabase_ButReadBackAsTheyWere()
    {
        var (clusterId, agentKey, secrets) = await WriteSecretsAsync();

        Assert.Empty(RawDatabase.Revealed(await RawDatabase.TextAsync(Database), secrets));

        var cluster = await ClusterAsync(clusterId);
        Assert.Equal(secrets[0], cluster.AdminPrivateKey);
        Assert.Equal(secrets[1], cluster.PartVpn);
        await using var db = Database.CreateContext();
        Assert.Equal(secrets[2], (await db.ClusterParts.SingleAsync(p => p.ClusterId == clusterId)).Vpn);
        Assert.Equal(secrets[3], (await new PeerStore(Database).FindAsync("b", Ct))!.OurKey);
        Assert.Equal(agentKey, Assert.Single(await HostStore.ListAgentsAsync(Ct)).Key);
        Assert.Equal(secrets.Skip(5).Take(2).Order(), (await db.Nodes.Where(n => n.ClusterId == clusterId).Select(n => n.Token!).ToListAsync()).Order());
        Assert.Equal(secrets.Skip(7).Order(), (await db.Nodes.Where(n => n.ClusterId == clusterId).Select(n => n.HostKeyPrivate!).ToListAsync()).Order());
        Assert.True(await HostStore.IsAgentKeyAsync(agentKey, Ct));
        Assert.False(await HostStore.IsAgentKeyAsync(agentKey + "x", Ct));
        Assert.True(await HostStore.HeartbeatAsync("agent-s", agentKey, "http://agent", [], Now + 1, Ct));
    }

    [Fact]
    public async Task Secrets_ADatabaseWithoutItsKey_RevealsNone()
    {
        var (clusterId, _, _) = await WriteSecretsAsync();

        var otherKey = new Database(Database.Options with { Secrets = SiteSecrets.Ephemeral() });
        await Assert.ThrowsAnyAsync<CryptographicException>(() => new Clusters.ClusterStore(otherKey).GetAsync(clusterId, Ct));
        await Assert.ThrowsAnyAsync<CryptographicException>(() => new HostStore(otherKey).ListAgentsAsync(Ct));
        var started = await Assert.ThrowsAnyAsync<CryptographicException>(() => otherKey.MigrateAsync(Ct));
        Assert.Contains("another site key", started.Message, StringComparison.Ordinal);
        var noKey = new Database(Database.Options with { Secrets = null });
        await Assert.ThrowsAsync<InvalidOperationException>(() => new PeerStore(noKey).FindAsync("b", Ct));
    }

    [Fact]
    public async Task Migrate_SecretsStoredInClear_AreEncryptedAtStart_AndStillReadAndFound()
    {
        await using var old = await TestDatabase.CreateAsync(Provider, migrate: false);
        await old.Database.MigrateAsync(Ct, upTo: 10);
        var adminKey = PrivateKeyPem();
        await using (var db = old.Database.CreateContext())
        {
            var connection = db.Database.GetDbConnection();
            await connection.ExecuteAsync(
                "INSERT INTO sites (id, name, is_local, vni_first, vni_last, calendar_version, version) VALUES ('s1', 'a', TRUE, 1000, 1999, 1, 1)");
            await connection.ExecuteAsync(
                "INSERT INTO agents (id, site_id, url, key, joined_ms, heartbeat_ms, version) VALUES ('a1', 's1', 'http://agent', 'clear-agent-key-0123456789abcdef', 1, 1, 1)");
            await connection.ExecuteAsync(
                "INSERT INTO peers (id, name, url, our_key, their_key_hash, added_ms, version) VALUES ('p1', 'b', 'http://b', 'clear-our-key-0123456789abcdef', 'h', 1, 1)");
        }

        var cluster = Seed.Cluster("s1", "old", c => c.AdminPrivateKey = adminKey);
        await using (var db = old.Database.CreateContext())
        {
            // a cluster and its node written as the version before wrote them: in clear
            var spec = ClusterSpecJson.Serialize(Seed.Spec("old"));
            var connection = db.Database.GetDbConnection();
            await connection.ExecuteAsync(
                "INSERT INTO clusters (id, name, active_name, site_id, spec, phase, start_ms, end_ms, created_ms, updated_ms, generation, observed_generation, nodes_total, nodes_ready, subnet, attempts, phase_since_ms, version, admin_private_key) " +
                "VALUES (@id, 'old', 'old', 's1', @spec, 'Ready', 1, 2, 1, 1, 1, 1, 1, 1, '10.9.0.0/24', 0, 1, 1, @key)",
                new { id = cluster.Id, spec, key = adminKey });
            await connection.ExecuteAsync(
                "INSERT INTO nodes (id, cluster_id, name, role, idx, site, mac, ip, state, version, token) VALUES ('n1', @id, 'head', 'head', 0, 'a', '02:00:00:00:00:01', '10.9.0.10', 'ready', 1, 'clear-node-token-0123456789abcdef')",
                new { id = cluster.Id });
        }

        Assert.NotEmpty(RawDatabase.Revealed(await RawDatabase.TextAsync(old.Database), [adminKey]));

        await old.Database.MigrateAsync(Ct);

        string[] secrets = [adminKey, "clear-agent-key-0123456789abcdef", "clear-our-key-0123456789abcdef", "clear-node-token-0123456789abcdef"];
        Assert.Empty(RawDatabase.Revealed(await RawDatabase.TextAsync(old.Database), secrets));
        Assert.Equal(adminKey, (await new Clusters.ClusterStore(old.Database).GetAsync(cluster.Id, Ct))!.AdminPrivateKey);
        Assert.True(await new HostStore(old.Database).IsAgentKeyAsync("clear-agent-key-0123456789abcdef", Ct));
        Assert.Equal("clear-our-key-0123456789abcdef", (await new PeerStore(old.Database).FindAsync("b", Ct))!.OurKey);
        await using var read = old.Database.CreateContext();
        Assert.Equal("clear-node-token-0123456789abcdef", (await read.Nodes.SingleAsync()).Token);

        var before = await DbSnapshot.TakeAsync(old.Database);
        await old.Database.MigrateAsync(Ct);
        Assert.Equal("", DbSnapshot.Diff(before, await DbSnapshot.TakeAsync(old.Database)));
    }
}
