using Microsoft.EntityFrameworkCore;
using Vcm.Store.Records;

namespace Vcm.Store.Series;

/// <summary>Reads series and their occurrences (the clusters that name them); marks a series deleted. Series are stored by admission.</summary>
public sealed class SeriesStore(Database database)
{
    /// <summary>The series not deleted, oldest first.</summary>
    public async Task<IReadOnlyList<SeriesRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Series.Where(s => s.ActiveName != null).OrderBy(s => s.CreatedMs).ThenBy(s => s.Id).ToListAsync(cancellationToken);
    }

    /// <summary>The series of this name that is not deleted.</summary>
    public async Task<SeriesRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Series.FirstOrDefaultAsync(s => s.ActiveName == name, cancellationToken);
    }

    /// <summary>The clusters of a series (live and final), by start.</summary>
    public async Task<IReadOnlyList<ClusterRecord>> OccurrencesAsync(string seriesId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Clusters.Where(c => c.SeriesId == seriesId).OrderBy(c => c.StartMs).ThenBy(c => c.Name).ToListAsync(cancellationToken);
    }

    /// <summary>How many clusters each series has, live and in all, by series id.</summary>
    public async Task<IReadOnlyDictionary<string, (int All, int Live)>> CountsAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var rows = await db.Clusters.Where(c => c.SeriesId != null).Select(c => new { c.SeriesId, Live = c.ActiveName != null }).ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.SeriesId!).ToDictionary(g => g.Key, g => (g.Count(), g.Count(r => r.Live)), StringComparer.Ordinal);
    }

    /// <summary>Marks the series deleted (its name free again); its clusters are the caller's to release.</summary>
    public async Task<SeriesRecord?> MarkDeletedAsync(string id, long nowMs, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var series = await db.Series.AsTracking().FirstOrDefaultAsync(s => s.Id == id && s.ActiveName != null, cancellationToken);
        if (series is null)
        {
            return null;
        }

        series.ActiveName = null;
        series.DeletedMs = nowMs;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return series;
    }
}
