using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

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

        builder.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        builder.ConfigureWarnings(w => w.Ignore(CoreEventId.RowLimitingOperationWithoutOrderByWarning));
        _contextOptions = builder.Options;
    }

    public StoreOptions Options { get; }

    public bool IsPostgres => Options.Provider == StoreProvider.Postgres;

    public VcmDbContext CreateContext() => new(_contextOptions);

    public Task MigrateAsync(CancellationToken cancellationToken) => new Migrator(this).MigrateAsync(cancellationToken);

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
