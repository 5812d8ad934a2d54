using System.Data.Common;
using Dapper;

namespace Vcm.Store.Sites;

/// <summary>
/// The site row's calendar_version: bumped, in the same transaction, by every change to what admission reads —
/// claims made or freed, hosts joined, changed or gone down. Bumping also locks the row until commit, which is
/// what serialises admissions between managers. A manager may cache hosts and claims for as long as the version
/// it read is the current one.
/// </summary>
public static class CalendarVersion
{
    /// <summary>Increments the version of one site and returns the new value.</summary>
    public static Task<long> BumpAsync(DbConnection connection, DbTransaction? transaction, string siteId) =>
        connection.ExecuteScalarAsync<long>(
            "UPDATE sites SET calendar_version = calendar_version + 1 WHERE id = @siteId RETURNING calendar_version",
            new { siteId },
            transaction);

    /// <summary>Increments the version of every site (when a change spans sites).</summary>
    public static Task<int> BumpAllAsync(DbConnection connection, DbTransaction? transaction) =>
        connection.ExecuteAsync("UPDATE sites SET calendar_version = calendar_version + 1", transaction: transaction);
}
