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
}
