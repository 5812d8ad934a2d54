using System.Text;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Vcm.Store;

namespace Vcm.Testing;

/// <summary>Every row of every vcm table as text, to prove a rejected request changed nothing.</summary>
public static class DbSnapshot
{
    public static readonly string[] Tables =
        ["sites", "agents", "hosts", "clusters", "nodes", "claims", "events", "tokens", "images", "peers", "cluster_parts",
         "package_requests", "layer_builds", "image_fetches", "cache_images", "tenants", "users", "user_keys", "series", "schema_migrations"];

    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> TakeAsync(Database database)
    {
        await using var db = database.CreateContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var snapshot = new Dictionary<string, IReadOnlyList<string>>();
        var existing = (await connection.QueryAsync<string>(database.IsPostgres
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            : "SELECT name FROM sqlite_master WHERE type = 'table'")).ToHashSet(StringComparer.Ordinal);
        foreach (var table in Tables)
        {
            if (!existing.Contains(table))
            {
                snapshot[table] = []; // a database migrated part of the way (a migration test) has no such table yet
                continue;
            }

            var rows = await connection.QueryAsync($"SELECT * FROM {table}");
            snapshot[table] = rows
                .Select(r => string.Join("|", ((IDictionary<string, object?>)r).OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={kv.Value}")))
                .Order(StringComparer.Ordinal)
                .ToList();
        }

        return snapshot;
    }

    /// <summary>A readable list of what differs, empty when nothing does.</summary>
    public static string Diff(IReadOnlyDictionary<string, IReadOnlyList<string>> before, IReadOnlyDictionary<string, IReadOnlyList<string>> after)
    {
        var text = new StringBuilder();
        foreach (var table in Tables)
        {
            foreach (var row in after[table].Except(before[table]))
            {
                text.Append("+ ").Append(table).Append(": ").AppendLine(row);
            }

            foreach (var row in before[table].Except(after[table]))
            {
                text.Append("- ").Append(table).Append(": ").AppendLine(row);
            }
        }

        return text.ToString();
    }
}
