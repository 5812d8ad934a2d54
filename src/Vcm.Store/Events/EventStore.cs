using Microsoft.EntityFrameworkCore;
using Vcm.Store.Records;

namespace Vcm.Store.Events;

public sealed class EventStore(Database database)
{
    public async Task AddAsync(EventRecord record, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        db.Events.Add(record);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The cluster's events, oldest first (the last <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<EventRecord>> ListAsync(string clusterId, int limit, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var newest = await db.Events.Where(e => e.ClusterId == clusterId)
            .OrderByDescending(e => e.AtMs).ThenByDescending(e => e.Id).Take(limit).ToListAsync(cancellationToken);
        newest.Reverse();
        return newest;
    }

    /// <summary>
    /// The newest events of every cluster (<paramref name="tenantId"/> null and <paramref name="everyTenant"/>), or of
    /// one tenant's clusters, newest first, each with its cluster's name.
    /// </summary>
    public async Task<IReadOnlyList<(string Cluster, EventRecord Event)>> RecentAsync(
        bool everyTenant, string? tenantId, int limit, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var rows = await db.Events
            .Join(db.Clusters, e => e.ClusterId, c => c.Id, (e, c) => new { Event = e, c.Name, c.TenantId })
            .Where(r => everyTenant || (tenantId != null && r.TenantId == tenantId))
            .OrderByDescending(r => r.Event.AtMs).ThenByDescending(r => r.Event.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return rows.Select(r => (r.Name, r.Event)).ToList();
    }
}
