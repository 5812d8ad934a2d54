using Microsoft.EntityFrameworkCore;

namespace Vcm.Store.Admission;

/// <summary>Opens the transactions in which admission plans against the calendar and stores what it admitted.</summary>
public sealed class AdmissionStore(Database database)
{
    /// <summary>
    /// Begins an admission at a site: a write transaction that has bumped the site's calendar version (which locks
    /// the site row on PostgreSQL; SQLite's write transaction excludes other writers), so no other admission plans
    /// against the same free capacity until this one commits or rolls back.
    /// </summary>
    public Task<AdmissionTransaction> BeginAsync(string siteId, CancellationToken cancellationToken) =>
        AdmissionTransaction.BeginAsync(database, siteId, cancellationToken);

    /// <summary>The site's ready hosts and the claims that end after <paramref name="fromMs"/>, read outside any admission (it locks nothing).</summary>
    public async Task<(IReadOnlyList<Domain.Scheduling.HostCapacity> Hosts, IReadOnlyList<Domain.Scheduling.Claim> Claims)> ReadCalendarAsync(
        string siteId, long fromMs, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await AdmissionTransaction.ReadCalendarAsync(db, siteId, fromMs, cancellationToken);
    }

    /// <summary>True when a cluster still to run holds something on the host (see <see cref="AdmissionTransaction.HeldOnAsync"/>); a read that locks nothing.</summary>
    public async Task<bool> HoldsAnythingAsync(string hostId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await AdmissionTransaction.HeldClusters(db, hostId).AnyAsync(cancellationToken);
    }
}
