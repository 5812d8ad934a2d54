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
        if (migration.ToSite is { } site)
        {
            // to another site: the node is that site's now, on the host it named (its part there records it)
            await db.Nodes.Where(n => n.ClusterId == migration.ClusterId && n.Name == migration.Node)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.HostId, (string?)null).SetProperty(n => n.Site, site)
                    .SetProperty(n => n.RemoteHost, migration.RemoteHost).SetProperty(n => n.Version, n => n.Version + 1), cancellationToken);
        }
        else
        {
            await db.Nodes.Where(n => n.ClusterId == migration.ClusterId && n.Name == migration.Node)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.HostId, migration.ToHostId).SetProperty(n => n.Version, n => n.Version + 1), cancellationToken);
        }

        await ReleaseAsync(db, migration.ClusterId, migration.FromHostId!, perNode, at, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await CalendarVersion.BumpAsync(db, siteId, cancellationToken);
    }

    /// <summary>
    /// Moves <paramref name="amount"/> of a cluster's capacity from one host to another for [<paramref name="from"/>,
    /// <paramref name="to"/>): the source gives it back from <paramref name="from"/> on (<see cref="NodeMove.Release"/>),
    /// the destination gets a claim of its own. Saved (so the next move of the same cluster reads it) in the caller's
    /// transaction.
    /// </summary>
    public static async Task MoveCapacityAsync(
        VcmDbContext db, string clusterId, string fromHostId, string toHostId, Resources amount, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await ReleaseAsync(db, clusterId, fromHostId, amount, from, cancellationToken);
        db.Claims.Add(Row(new Claim(clusterId, toHostId, from, to, amount)));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The source's claims of the cluster give back <paramref name="amount"/> from <paramref name="at"/> on (tracked, not saved).</summary>
    private static async Task ReleaseAsync(VcmDbContext db, string clusterId, string hostId, Resources amount, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var rows = await db.Claims.AsTracking().Where(c => c.ClusterId == clusterId && c.HostId == hostId).ToListAsync(cancellationToken);
        if (NodeMove.Release(rows.Select(ToClaim).ToList(), amount, at) is { } kept)
        {
            db.Claims.RemoveRange(rows);
            db.Claims.AddRange(kept.Select(Row));
        }
    }

    private static ClaimRecord Row(Claim c) => new()
    {
        Id = Domain.Common.Ids.New(),
        ClusterId = c.ClusterId,
        HostId = c.HostId,
        StartMs = c.Start.ToUnixTimeMilliseconds(),
        EndMs = c.End.ToUnixTimeMilliseconds(),
        Cpus = c.Amount.Cpus,
        MemoryMb = c.Amount.MemoryMb,
        DiskMb = c.Amount.DiskMb,
    };

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
