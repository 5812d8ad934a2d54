using Microsoft.EntityFrameworkCore;
using Vcm.Store.Records;

namespace Vcm.Store.Packages;

/// <summary>Each image's cache image row; written with its version checked, so two managers never both move it.</summary>
public sealed class CacheImageStore(Database database)
{
    public async Task<CacheImageRecord?> GetAsync(string image, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.CacheImages.FirstOrDefaultAsync(c => c.Image == image, cancellationToken);
    }

    public async Task<IReadOnlyList<CacheImageRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.CacheImages.OrderBy(c => c.Image).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Inserts a new row (<paramref name="record"/>.Version 0 means none was read) or updates the one read; a row
    /// changed or inserted meanwhile by another manager throws <see cref="DbUpdateException"/> and writes nothing.
    /// </summary>
    public async Task SaveAsync(CacheImageRecord record, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        if (record.Version == 0)
        {
            record.Version = 1;
            db.CacheImages.Add(record);
        }
        else
        {
            db.CacheImages.Update(record);
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
