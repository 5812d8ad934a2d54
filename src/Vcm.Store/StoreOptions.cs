namespace Vcm.Store;

/// <summary>Which database to use: SQLite (a file, the default) or PostgreSQL (a connection string).</summary>
public sealed record StoreOptions(StoreProvider Provider, string ConnectionString)
{
    public static StoreOptions SqliteFile(string path) =>
        new(StoreProvider.Sqlite, $"Data Source={path};Pooling=True;Default Timeout=30");

    public static StoreOptions Postgres(string connectionString) => new(StoreProvider.Postgres, connectionString);
}
