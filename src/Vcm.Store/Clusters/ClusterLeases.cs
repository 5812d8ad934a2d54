using Dapper;
using Microsoft.EntityFrameworkCore;

namespace Vcm.Store.Clusters;

/// <summary>
/// Which manager works on which cluster. A cluster is due when its next_reconcile_ms has come; a manager claims a
/// due cluster by writing its name and a lease expiry. A lease that is not renewed expires, and any manager may then
/// take the cluster: a dead manager's work moves to the living. On PostgreSQL the claim skips rows another manager
/// is claiming at that moment (FOR UPDATE SKIP LOCKED); SQLite serialises writers anyway.
/// Claiming consumes the due time (sets it to null); a request made while the work runs sets it again, and the
/// release keeps the earlier of that and the worker's own next time, so no request is lost. A cluster whose lease
/// expired is due whatever its due time, since its manager died mid-work.
/// </summary>
public sealed class ClusterLeases(Database database)
{
    /// <summary>Claims up to <paramref name="limit"/> due clusters not leased by another live manager.</summary>
    public async Task<IReadOnlyList<string>> ClaimDueAsync(string owner, long nowMs, long leaseMs, int limit, CancellationToken cancellationToken)
    {
        var sql = database.IsPostgres
            ? """
              UPDATE clusters SET lease_owner = @owner, lease_expires_ms = @until, next_reconcile_ms = NULL
              WHERE id IN (SELECT id FROM clusters
                           WHERE (next_reconcile_ms <= @now AND (lease_owner IS NULL OR lease_expires_ms < @now OR lease_owner = @owner))
                              OR (lease_owner IS NOT NULL AND lease_owner <> @owner AND lease_expires_ms < @now)
                           ORDER BY next_reconcile_ms LIMIT @limit FOR UPDATE SKIP LOCKED)
              RETURNING id
              """
            : """
              UPDATE clusters SET lease_owner = @owner, lease_expires_ms = @until, next_reconcile_ms = NULL
              WHERE id IN (SELECT id FROM clusters
                           WHERE (next_reconcile_ms <= @now AND (lease_owner IS NULL OR lease_expires_ms < @now OR lease_owner = @owner))
                              OR (lease_owner IS NOT NULL AND lease_owner <> @owner AND lease_expires_ms < @now)
                           ORDER BY next_reconcile_ms LIMIT @limit)
              RETURNING id
              """;
        return await database.WriteAsync(async (connection, transaction) =>
            (await connection.QueryAsync<string>(new CommandDefinition(sql, new { owner, until = nowMs + leaseMs, now = nowMs, limit }, transaction, cancellationToken: cancellationToken))).ToList(),
            cancellationToken);
    }

    /// <summary>Takes or renews the lease on one cluster; false when another live manager holds it.</summary>
    public async Task<bool> TryLeaseAsync(string id, string owner, long nowMs, long leaseMs, CancellationToken cancellationToken)
    {
        var updated = await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE clusters SET lease_owner = @owner, lease_expires_ms = @until, next_reconcile_ms = NULL " +
            "WHERE id = @id AND (lease_owner IS NULL OR lease_owner = @owner OR lease_expires_ms < @now)",
            new { id, owner, until = nowMs + leaseMs, now = nowMs }, transaction, cancellationToken: cancellationToken)), cancellationToken);
        return updated == 1;
    }

    /// <summary>Extends the leases this manager holds on the given clusters.</summary>
    public async Task RenewAsync(string owner, IReadOnlyCollection<string> ids, long untilMs, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await database.WriteAsync(async (connection, transaction) =>
        {
            foreach (var chunk in ids.Chunk(1000))
            {
                var parameters = new DynamicParameters(new { owner, until = untilMs });
                await connection.ExecuteAsync(new CommandDefinition(
                    $"UPDATE clusters SET lease_expires_ms = @until WHERE lease_owner = @owner AND {SqlList.In("id", chunk, parameters, "i")}",
                    parameters, transaction, cancellationToken: cancellationToken));
            }

            return 0;
        }, cancellationToken);
    }

    /// <summary>Gives the lease up and says when the cluster wants to be looked at next (null: only on change).</summary>
    public async Task ReleaseAsync(string id, string owner, long? nextReconcileMs, CancellationToken cancellationToken)
    {
        await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE clusters SET lease_owner = NULL, lease_expires_ms = NULL, next_reconcile_ms = " +
            "CASE WHEN next_reconcile_ms IS NULL THEN @next WHEN @next IS NULL THEN next_reconcile_ms " +
            "WHEN next_reconcile_ms < @next THEN next_reconcile_ms ELSE @next END " +
            "WHERE id = @id AND lease_owner = @owner",
            new { id, owner, next = nextReconcileMs }, transaction, cancellationToken: cancellationToken)), cancellationToken);
    }

    /// <summary>Asks for the cluster to be reconciled at <paramref name="atMs"/> at the latest.</summary>
    public async Task RequestAsync(string id, long atMs, CancellationToken cancellationToken)
    {
        await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE clusters SET next_reconcile_ms = @at WHERE id = @id AND (next_reconcile_ms IS NULL OR next_reconcile_ms > @at)",
            new { id, at = atMs }, transaction, cancellationToken: cancellationToken)), cancellationToken);
    }

    /// <summary>Drops leases held under this manager's name by an earlier run of it (which was killed), making that work due now.</summary>
    public async Task<int> ForgetOwnLeasesAsync(string owner, long nowMs, CancellationToken cancellationToken)
    {
        return await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE clusters SET lease_owner = NULL, lease_expires_ms = NULL, " +
            "next_reconcile_ms = CASE WHEN next_reconcile_ms IS NULL OR next_reconcile_ms > @now THEN @now ELSE next_reconcile_ms END WHERE lease_owner = @owner",
            new { owner, now = nowMs }, transaction, cancellationToken: cancellationToken)), cancellationToken);
    }
}
