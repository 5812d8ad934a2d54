using System.Reflection;
using Dapper;
using Microsoft.EntityFrameworkCore;

namespace Vcm.Store;

/// <summary>
/// Applies the versioned SQL scripts embedded in this assembly (Migrations/NNNN_name.sql, or
/// NNNN_name.postgres.sql / .sqlite.sql where a provider needs its own), each in its own transaction, recording
/// them in schema_migrations. On PostgreSQL an advisory lock keeps two managers from migrating at once.
/// </summary>
public sealed class Migrator(Database database)
{
    private const long AdvisoryLockKey = 0x76636d5f6d6967; // "vcm_mig"

    /// <summary>Applies every script not applied yet (up to version <paramref name="upTo"/> when given: for tests of a data migration).</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken, int? upTo = null)
    {
        await using var db = database.CreateContext();
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        if (database.IsPostgres)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_lock(@k)", new { k = AdvisoryLockKey });
        }

        try
        {
            await connection.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ms BIGINT NOT NULL)");
            var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations")).ToHashSet();
            foreach (var (version, name, sql) in Scripts(database.Options.Provider))
            {
                if (applied.Contains(version) || version > upTo)
                {
                    continue;
                }

                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(sql, transaction: transaction);
                await connection.ExecuteAsync(
                    "INSERT INTO schema_migrations (version, name, applied_ms) VALUES (@version, @name, @at)",
                    new { version, name, at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
                    transaction);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            if (database.IsPostgres)
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@k)", new { k = AdvisoryLockKey });
            }
        }
    }

    /// <summary>The scripts for a provider, in version order.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts(StoreProvider provider)
    {
        var assembly = typeof(Migrator).Assembly;
        var suffix = provider == StoreProvider.Postgres ? ".postgres.sql" : ".sqlite.sql";
        var scripts = new SortedDictionary<int, (string Name, string Resource, bool Specific)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var file = resource[(resource.IndexOf(".Migrations.", StringComparison.Ordinal) + ".Migrations.".Length)..];
            var specific = file.EndsWith(suffix, StringComparison.Ordinal);
            var generic = !file.EndsWith(".postgres.sql", StringComparison.Ordinal) && !file.EndsWith(".sqlite.sql", StringComparison.Ordinal);
            if (!specific && !generic)
            {
                continue;
            }

            var version = int.Parse(file[..4], System.Globalization.CultureInfo.InvariantCulture);
            if (!scripts.TryGetValue(version, out var existing) || (specific && !existing.Specific))
            {
                scripts[version] = (file.Split('.')[0], resource, specific);
            }
        }

        return scripts.Select(kv => (kv.Key, kv.Value.Name, Read(assembly, kv.Value.Resource))).ToList();
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
