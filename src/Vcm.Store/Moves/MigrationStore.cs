using Microsoft.EntityFrameworkCore;
using Vcm.Store.Records;

namespace Vcm.Store.Moves;

/// <summary>Reads of live migrations (they are written by admission and by the cluster's reconcile).</summary>
public sealed class MigrationStore(Database database)
{
    /// <summary>The cluster's migrations, newest first (the last <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<MigrationRecord>> ListAsync(string clusterId, int limit, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Migrations.Where(m => m.ClusterId == clusterId)
            .OrderByDescending(m => m.RequestedMs).ThenByDescending(m => m.Id).Take(limit).ToListAsync(cancellationToken);
    }

    public async Task<MigrationRecord?> GetAsync(string clusterId, string id, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Migrations.FirstOrDefaultAsync(m => m.ClusterId == clusterId && m.Id == id, cancellationToken);
    }

    /// <summary>Host names by id (for showing migrations).</summary>
    public async Task<IReadOnlyDictionary<string, string>> HostNamesAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var list = ids.Distinct(StringComparer.Ordinal).ToList();
        await using var db = database.CreateContext();
        return await db.Hosts.Where(h => list.Contains(h.Id)).ToDictionaryAsync(h => h.Id, h => h.Name, StringComparer.Ordinal, cancellationToken);
    }
}
