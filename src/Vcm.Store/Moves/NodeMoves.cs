using Microsoft.EntityFrameworkCore;
using Vcm.Domain.Moves;
using Vcm.Domain.Scheduling;
using Vcm.Store.Records;
using Vcm.Store.Sites;

namespace Vcm.Store.Moves;

/// <summary>The database's side of a node's move to another host, in the caller's transaction.</summary>
internal static class NodeMoves
{
    /// <summary>
    /// Records the node on its new host and gives back its share on the old one from <paramref name="at"/> on
    /// (<see cref="NodeMove.Release"/>); the destination's claim, made at the request, stays. Bumps the calendar version.
    /// </summary>
    public static async Task MoveAsync(VcmDbContext db, string siteId, MigrationRecord migration, Resources perNode, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await db.Nodes.Where(n => n.ClusterId == migration.ClusterId && n.Name == migration.Node)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.HostId, migration.ToHostId).SetProperty(n => n.Version, n => n.Version + 1), cancellationToken);

        var rows = await db.Claims.AsTracking().Where(c => c.ClusterId == migration.ClusterId && c.HostId == migration.FromHostId).ToListAsync(cancellationToken);
        var claims = rows.Select(ToClaim).ToList();
        if (NodeMove.Release(claims, perNode, at) is { } kept)
        {
            db.Claims.RemoveRange(rows);
            db.Claims.AddRange(kept.Select(c => new ClaimRecord
            {
                Id = Domain.Common.Ids.New(),
                ClusterId = c.ClusterId,
                HostId = c.HostId,
                StartMs = c.Start.ToUnixTimeMilliseconds(),
                EndMs = c.End.ToUnixTimeMilliseconds(),
                Cpus = c.Amount.Cpus,
                MemoryMb = c.Amount.MemoryMb,
                DiskMb = c.Amount.DiskMb,
            }));
        }

        await db.SaveChangesAsync(cancellationToken);
        await CalendarVersion.BumpAsync(db, siteId, cancellationToken);
    }

    /// <summary>Frees the capacity a migration held on its destination. Bumps the calendar version.</summary>
    public static async Task FreeDestinationAsync(VcmDbContext db, string siteId, MigrationRecord migration, CancellationToken cancellationToken)
    {
        if (migration.ClaimId is { } claimId)
        {
            await db.Claims.Where(c => c.Id == claimId).ExecuteDeleteAsync(cancellationToken);
            await CalendarVersion.BumpAsync(db, siteId, cancellationToken);
        }
    }

    private static Claim ToClaim(ClaimRecord c) => new(
        c.ClusterId, c.HostId, DateTimeOffset.FromUnixTimeMilliseconds(c.StartMs), DateTimeOffset.FromUnixTimeMilliseconds(c.EndMs),
        new Resources(c.Cpus, c.MemoryMb, c.DiskMb));
}
