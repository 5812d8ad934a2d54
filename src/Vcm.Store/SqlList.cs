using System.Globalization;
using System.Text;
using Dapper;

namespace Vcm.Store;

/// <summary>
/// Expands "column IN (…)" with one parameter per value, the same on SQLite and PostgreSQL (Dapper would pass a
/// list to Npgsql as an array, which IN does not take).
/// </summary>
internal static class SqlList
{
    public static string In(string column, IReadOnlyList<string> values, DynamicParameters parameters, string prefix)
    {
        if (values.Count == 0)
        {
            return "1 = 0";
        }

        var sql = new StringBuilder(column.Length + values.Count * 8).Append(column).Append(" IN (");
        for (var i = 0; i < values.Count; i++)
        {
            var name = prefix + i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "@" : ", @").Append(name);
            parameters.Add(name, values[i]);
        }

        return sql.Append(')').ToString();
    }
}
