using Microsoft.Data.Sqlite;

namespace Vcm.Store;

/// <summary>
/// A SQLite database holds agents' keys and clusters' secrets, so its file and SQLite's -wal, -shm and -journal files
/// beside it are the owner's alone (0600): the file is made so before SQLite first opens it (SQLite gives its -wal
/// and -shm the database file's mode), and files found looser are tightened.
/// </summary>
public static class SqliteFileModes
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Secure(StoreOptions options)
    {
        if (options.Provider != StoreProvider.Sqlite || OperatingSystem.IsWindows())
        {
            return;
        }

        var path = new SqliteConnectionStringBuilder(options.ConnectionString).DataSource;
        if (string.IsNullOrEmpty(path) || path == ":memory:" || path.StartsWith("file:", StringComparison.Ordinal))
        {
            return;
        }

        if (!File.Exists(path))
        {
            try
            {
                // An empty file is an empty database to SQLite.
                using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly });
            }
            catch (IOException) when (File.Exists(path))
            {
                // another process made it meanwhile; its mode is checked below
            }
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            if (File.Exists(file) && (File.GetUnixFileMode(file) & ~OwnerOnly) != 0)
            {
                File.SetUnixFileMode(file, OwnerOnly);
            }
        }
    }
}
