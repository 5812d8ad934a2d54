using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Vcm.Store;

/// <summary>Inserts many rows with multi-row INSERT statements (the same SQL on SQLite and PostgreSQL).</summary>
internal static class BulkInsert
{
    private const int MaxParameters = 6000;

    public static async Task RunAsync<T>(
        DbConnection connection,
        DbTransaction? transaction,
        string table,
        IReadOnlyList<string> columns,
        IReadOnlyList<T> rows,
        Func<T, object?[]> values,
        CancellationToken cancellationToken)
    {
        var perStatement = Math.Max(1, MaxParameters / columns.Count);
        for (var offset = 0; offset < rows.Count; offset += perStatement)
        {
            var count = Math.Min(perStatement, rows.Count - offset);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var sql = new StringBuilder(64 + count * columns.Count * 8);
            sql.Append("INSERT INTO ").Append(table).Append(" (").Append(string.Join(", ", columns)).Append(") VALUES ");
            for (var r = 0; r < count; r++)
            {
                var row = values(rows[offset + r]);
                sql.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < columns.Count; c++)
                {
                    var name = string.Create(CultureInfo.InvariantCulture, $"@p{r}_{c}");
                    sql.Append(c == 0 ? "" : ", ").Append(name);
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = name;
                    parameter.Value = row[c] ?? DBNull.Value;
                    command.Parameters.Add(parameter);
                }

                sql.Append(')');
            }

            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
