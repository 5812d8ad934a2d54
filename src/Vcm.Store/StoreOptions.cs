namespace Vcm.Store;

/// <summary>Which database to use: SQLite (a file, the default) or PostgreSQL (a connection string).</summary>
public sealed record StoreOptions(StoreProvider Provider, string ConnectionString)
{
    /// <summary>The site's key for the secrets the database keeps (<see cref="Secrets.SiteSecrets"/>); none: secrets can be neither read nor written.</summary>
    public Secrets.SiteSecrets? Secrets { get; init; }

    public static StoreOptions SqliteFile(string path) =>
        new(StoreProvider.Sqlite, $"Data Source={path};Pooling=True;Default Timeout=30");

    public static StoreOptions Postgres(string connectionString) => new(StoreProvider.Postgres, connectionString);
}
