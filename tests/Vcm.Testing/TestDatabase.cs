using Microsoft.Data.Sqlite;
using Vcm.Store;
using Vcm.Store.Secrets;

namespace Vcm.Testing;

/// <summary>A fresh, migrated database for one test class: a temporary SQLite file or a new PostgreSQL database.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly TempDirectory? _folder;
    private readonly string? _postgresName;

    private TestDatabase(StoreOptions options, TempDirectory? folder, string? postgresName)
    {
        Options = options;
        Database = new Database(options);
        _folder = folder;
        _postgresName = postgresName;
    }

    public StoreOptions Options { get; }

    public Database Database { get; }

    public StoreProvider Provider => Options.Provider;

    /// <summary>The provider the suite runs on: VCM_TEST_DB=postgres or sqlite (the default).</summary>
    public static StoreProvider FromEnvironment() =>
        Environment.GetEnvironmentVariable("VCM_TEST_DB") == "postgres" ? StoreProvider.Postgres : StoreProvider.Sqlite;

    public static async Task<TestDatabase> CreateAsync(StoreProvider provider, bool migrate = true)
    {
        TestDatabase db;
        if (provider == StoreProvider.Postgres)
        {
            var (name, connection) = await PostgresServer.CreateDatabaseAsync();
            db = new TestDatabase(StoreOptions.Postgres(connection) with { Secrets = SiteSecrets.Ephemeral() }, null, name);
        }
        else
        {
            var folder = new TempDirectory("vcm-db");
            db = new TestDatabase(StoreOptions.SqliteFile(folder.Combine("vcm.db")) with { Secrets = SiteSecrets.Ephemeral() }, folder, null);
        }

        if (migrate)
        {
            await db.Database.MigrateAsync(CancellationToken.None);
        }

        return db;
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgresName is not null)
        {
            await PostgresServer.DropDatabaseAsync(_postgresName);
        }

        SqliteConnection.ClearAllPools();
        _folder?.Dispose();
    }
}
