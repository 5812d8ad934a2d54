using Microsoft.EntityFrameworkCore;

namespace Vcm.Store.Sites;

/// <summary>
/// The site row's calendar_version: bumped, in the same transaction, by every change to what admission reads —
/// claims made or freed, hosts joined, changed or gone down. Bumping also locks the row until commit, which is
/// what serialises admissions between managers. A manager may cache hosts and claims for as long as the version
/// it read is the current one.
/// </summary>
public static class CalendarVersion
{
    /// <summary>Increments the version of one site in the context's transaction and returns the new value.</summary>
    public static async Task<long> BumpAsync(VcmDbContext db, string siteId, CancellationToken cancellationToken)
    {
        await db.Sites.Where(s => s.Id == siteId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.CalendarVersion, s => s.CalendarVersion + 1), cancellationToken);
        return await db.Sites.Where(s => s.Id == siteId).Select(s => s.CalendarVersion).FirstAsync(cancellationToken);
    }

    /// <summary>Increments the version of every site (when a change spans sites).</summary>
    public static Task<int> BumpAllAsync(VcmDbContext db, CancellationToken cancellationToken) =>
        db.Sites.ExecuteUpdateAsync(u => u.SetProperty(s => s.CalendarVersion, s => s.CalendarVersion + 1), cancellationToken);
}
