using System.Security.Cryptography;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Vcm.Store.Auth;
using Vcm.Store.Records;

namespace Vcm.Store.Secrets;

/// <summary>
/// The columns that hold secrets, kept encrypted with the site's key (<see cref="SiteSecrets"/>): each cluster's admin
/// SSH private key (from which its nodes' root key and munge key are derived), the VPN keys of a cluster's parts at
/// other sites (home: cluster_parts.vpn; the other site: clusters.part_vpn), node metadata tokens and SSH host keys, agent keys (which
/// the manager presents to its agents; looked up by agents.key_hash) and the keys this site presents to its peers.
/// Secrets that are only checked are kept as SHA-256 hashes instead (API and join tokens, peers' keys).
/// </summary>
public static class SecretColumns
{
    /// <summary>Every encrypted column, as (table, column); each table's key is its id column.</summary>
    public static IReadOnlyList<(string Table, string Column)> All { get; } =
    [
        ("clusters", "admin_private_key"), ("clusters", "part_vpn"), ("cluster_parts", "vpn"), ("nodes", "token"), ("nodes", "host_key_private"), ("agents", "key"), ("peers", "our_key"),
    ];

    /// <summary>Encrypts the secret properties as they are written and decrypts them as they are read.</summary>
    internal static void Configure(ModelBuilder model, SiteSecrets secrets)
    {
        var converter = new ValueConverter<string, string>(v => secrets.Protect(v), s => secrets.Unprotect(s));
        // EF never passes null to a converter: a null secret stays null
        var nullable = new ValueConverter<string?, string>(v => secrets.Protect(v!), s => secrets.Unprotect(s));
        model.Entity<ClusterRecord>().Property(c => c.AdminPrivateKey).HasConversion(nullable);
        model.Entity<ClusterRecord>().Property(c => c.PartVpn).HasConversion(nullable);
        model.Entity<ClusterPartRecord>().Property(p => p.Vpn).HasConversion(converter);
        model.Entity<NodeRecord>().Property(n => n.Token).HasConversion(nullable);
        model.Entity<NodeRecord>().Property(n => n.HostKeyPrivate).HasConversion(nullable);
        model.Entity<AgentRecord>().Property(a => a.Key).HasConversion(converter);
        model.Entity<PeerRecord>().Property(p => p.OurKey).HasConversion(converter);
    }

    /// <summary>
    /// Encrypts what a database from before this version holds in clear, and fills agents' key hashes; run at every
    /// start after the migrations (a no-op once done). Returns how many values it changed.
    /// </summary>
    public static async Task<int> EncryptClearAsync(Database database, CancellationToken cancellationToken)
    {
        var changed = await EncryptAsync(database, cancellationToken);
        if (changed > 0)
        {
            await ScrubAsync(database, cancellationToken);
        }

        return changed;
    }

    /// <summary>
    /// Fails at once, and says why, when the database's secrets were encrypted with another key than this one (a
    /// manager started with another data or key folder than the one that wrote them), instead of at the first read.
    /// </summary>
    public static async Task CheckKeyAsync(Database database, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        foreach (var (table, column) in All)
        {
            var stored = await connection.QueryFirstOrDefaultAsync<string?>(new CommandDefinition(
                $"SELECT \"{column}\" FROM {table} WHERE \"{column}\" LIKE @prefix ORDER BY id LIMIT 1", new { prefix = SiteSecrets.Prefix + "%" }, cancellationToken: cancellationToken));
            if (stored is null)
            {
                continue;
            }

            try
            {
                database.Secrets.Unprotect(stored);
            }
            catch (CryptographicException e)
            {
                throw new CryptographicException(
                    $"the database's secrets were encrypted with another site key than the one in {database.Secrets}: start the manager with the key folder that wrote them (--keys)", e);
            }

            return;
        }
    }

    /// <summary>
    /// Rewrites the database so that the clear values just replaced leave no copy behind: SQLite keeps them in free
    /// space and in its WAL, PostgreSQL in dead row versions. Once, at the upgrade.
    /// </summary>
    private static async Task ScrubAsync(Database database, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        var sql = database.IsPostgres
            ? $"VACUUM FULL {string.Join(", ", All.Select(c => c.Table).Distinct())}"
            : "VACUUM; PRAGMA wal_checkpoint(TRUNCATE);";
        await connection.ExecuteAsync(new CommandDefinition(sql, cancellationToken: cancellationToken));
    }

    private static async Task<int> EncryptAsync(Database database, CancellationToken cancellationToken)
    {
        var secrets = database.Secrets;
        return await database.WriteAsync(async (connection, transaction) =>
        {
            var changed = 0;
            foreach (var (table, column) in All)
            {
                var rows = await connection.QueryAsync<(string Id, string Value)>(new CommandDefinition(
                    $"SELECT id, \"{column}\" FROM {table} WHERE \"{column}\" IS NOT NULL AND \"{column}\" NOT LIKE @prefix",
                    new { prefix = SiteSecrets.Prefix + "%" }, transaction, cancellationToken: cancellationToken));
                foreach (var (id, value) in rows)
                {
                    changed += await connection.ExecuteAsync(new CommandDefinition(
                        $"UPDATE {table} SET \"{column}\" = @value WHERE id = @id", new { value = secrets.Protect(value), id }, transaction, cancellationToken: cancellationToken));
                }
            }

            var agents = await connection.QueryAsync<(string Id, string Key)>(new CommandDefinition(
                "SELECT id, \"key\" FROM agents WHERE key_hash IS NULL", transaction: transaction, cancellationToken: cancellationToken));
            foreach (var (id, key) in agents)
            {
                changed += await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE agents SET key_hash = @hash WHERE id = @id", new { hash = TokenStore.Hash(secrets.Unprotect(key)), id }, transaction, cancellationToken: cancellationToken));
            }

            return changed;
        }, cancellationToken);
    }
}
