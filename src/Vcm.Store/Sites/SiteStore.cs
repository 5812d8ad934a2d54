using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Common;
using Vcm.Store.Records;

namespace Vcm.Store.Sites;

public sealed class SiteStore(Database database)
{
    /// <summary>The site this manager runs, made on first start; its name and VNI range follow the configuration.</summary>
    public async Task<SiteRecord> EnsureLocalAsync(string name, int vniFirst, int vniLast, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var site = await db.Sites.AsTracking().FirstOrDefaultAsync(s => s.IsLocal, cancellationToken);
        if (site is null)
        {
            site = new SiteRecord { Id = Ids.New(), Name = name, IsLocal = true, VniFirst = vniFirst, VniLast = vniLast, Version = 1 };
            db.Sites.Add(site);
        }
        else if (site.Name != name || site.VniFirst != vniFirst || site.VniLast != vniLast)
        {
            site.Name = name;
            site.VniFirst = vniFirst;
            site.VniLast = vniLast;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (db.ChangeTracker.Entries<SiteRecord>().Any(e => e.State == EntityState.Added))
        {
            // another manager of the same site made it first
            await using var again = database.CreateContext();
            return await again.Sites.FirstAsync(s => s.IsLocal, cancellationToken);
        }

        return site;
    }

    public async Task<IReadOnlyList<SiteRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Sites.OrderByDescending(s => s.IsLocal).ThenBy(s => s.Name).ToListAsync(cancellationToken);
    }
}
