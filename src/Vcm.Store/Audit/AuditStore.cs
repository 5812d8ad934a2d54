using Microsoft.EntityFrameworkCore;
using Vcm.Store.Records;

namespace Vcm.Store.Audit;

/// <summary>The audit trail: entries are added and read, never changed or removed.</summary>
public sealed class AuditStore(Database database)
{
    public async Task AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        db.Audit.Add(record);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Entries from <paramref name="sinceMs"/> on, of one tenant's users when given, newest last; at most <paramref name="limit"/> (the newest).</summary>
    public async Task<IReadOnlyList<AuditRecord>> ListAsync(string? tenantId, long sinceMs, int limit, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var query = db.Audit.Where(a => a.AtMs >= sinceMs);
        if (tenantId is not null)
        {
            query = query.Where(a => a.TenantId == tenantId);
        }

        var newest = await query.OrderByDescending(a => a.AtMs).ThenByDescending(a => a.Id).Take(limit).ToListAsync(cancellationToken);
        newest.Reverse();
        return newest;
    }
}
