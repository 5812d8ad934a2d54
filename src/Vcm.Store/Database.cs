using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Vcm.Store.Secrets;

namespace Vcm.Store;

/// <summary>Opens contexts and connections for the configured database, and applies its schema.</summary>
public sealed class Database
{
    private readonly DbContextOptions<VcmDbContext> _contextOptions;

    public Database(StoreOptions options)
    {
        Options = options;
        var builder = new DbContextOptionsBuilder<VcmDbContext>();
        switch (options.Provider)
        {
            case StoreProvider.Sqlite:
                builder.UseSqlite(options.ConnectionString);
                builder.AddInterceptors(new SqliteConnectionSetup());
                break;
            case StoreProvider.Postgres:
                builder.UseNpgsql(options.ConnectionString);
                break;
        }

        _gate = options.Provider == StoreProvider.Sqlite ? new WriteGate() : null;
        Secrets = options.Secrets ?? SiteSecrets.Unavailable;
        builder.ReplaceService<IModelCacheKeyFactory, SecretsModelCacheKeyFactory>();
        builder.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        builder.ConfigureWarnings(w => w.Ignore(CoreEventId.RowLimitingOperationWithoutOrderByWarning));
        _contextOptions = builder.Options;
    }

    public StoreOptions Options { get; }

    public bool IsPostgres => Options.Provider == StoreProvider.Postgres;

    private readonly WriteGate? _gate;

    /// <summary>The key the secret columns are encrypted with (<see cref="SecretColumns"/>).</summary>
    public SiteSecrets Secrets { get; }

    public VcmDbContext CreateContext() => new(_contextOptions, _gate, Secrets);

    /// <summary>
    /// Applies the migrations (a SQLite file made or tightened to 0600 first, see <see cref="SqliteFileModes"/>); then, with a site key and a whole schema, checks that the key is the one the database's
    /// secrets were encrypted with, and encrypts secrets a database from before secrets were encrypted holds in clear
    /// (<see cref="SecretColumns.EncryptClearAsync"/>).
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken, int? upTo = null)
    {
        SqliteFileModes.Secure(Options); // the file made (or tightened to) 0600 before SQLite opens it
        await new Migrator(this).MigrateAsync(cancellationToken, upTo);
        if (upTo is null && Secrets != SiteSecrets.Unavailable)
        {
            await SecretColumns.CheckKeyAsync(this, cancellationToken);
            await SecretColumns.EncryptClearAsync(this, cancellationToken);
        }
    }

    /// <summary>
    /// Runs raw SQL writes in one transaction, on a connection opened through EF Core (so SQLite's per-connection
    /// settings apply: WAL, busy timeout, foreign keys). On SQLite the transaction is BEGIN IMMEDIATE: it takes
    /// the write lock before reading, so a write never fails on a stale snapshot (SQLITE_BUSY_SNAPSHOT), which
    /// Microsoft.Data.Sqlite would answer with 150 ms sleeps.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var db = CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var result = await work(db.Database.GetDbConnection(), transaction.DbTransaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Sets SQLite up for a crash-safe, concurrent-reader database on each new connection.</summary>
    private sealed class SqliteConnectionSetup : DbConnectionInterceptor
    {
        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Setup(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Setup(connection);
            return Task.CompletedTask;
        }

        private static void Setup(DbConnection connection)
        {
            if (connection is not SqliteConnection sqlite)
            {
                return;
            }

            using var command = sqlite.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
            command.ExecuteNonQuery();
        }
    }
}
