using System.Text;
using Microsoft.Data.Sqlite;
using Vcm.Store;

namespace Vcm.Testing;

/// <summary>What a copy of the database shows without vcm's key: the raw bytes of a SQLite file (and its WAL), and on
/// either provider every column's raw value as SQL reads it.</summary>
public static class RawDatabase
{
    public static async Task<string> TextAsync(Database database)
    {
        var text = new StringBuilder();
        if (database.Options.Provider == StoreProvider.Sqlite)
        {
            var file = new SqliteConnectionStringBuilder(database.Options.ConnectionString).DataSource;
            foreach (var path in new[] { file, file + "-wal", file + "-journal" }.Where(File.Exists))
            {
                // another connection may hold the file open: share it
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var memory = new MemoryStream();
                await stream.CopyToAsync(memory);
                text.Append(Encoding.Latin1.GetString(memory.ToArray())).Append('\n');
            }
        }

        foreach (var (_, rows) in await DbSnapshot.TakeAsync(database))
        {
            text.AppendJoin('\n', rows).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The secrets (and "PRIVATE KEY") that <paramref name="raw"/> shows, whole or by their first 24 characters.</summary>
    public static IReadOnlyList<string> Revealed(string raw, IEnumerable<string> secrets) =>
        secrets.Append("PRIVATE KEY")
            .Where(s => raw.Contains(s, StringComparison.Ordinal) || (s.Length > 24 && raw.Contains(s[..24], StringComparison.Ordinal)))
            .ToList();
}
