using Dapper;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Vcm.Store.Records;
using Vcm.Store.Sites;

namespace Vcm.Store.Clusters;

/// <summary>Reads and writes clusters, their nodes and claims.</summary>
public sealed partial class ClusterStore(Database database)
{
    private static readonly string[] NodeColumns =
        ["id", "cluster_id", "name", "role", "idx", "host_id", "remote_host", "site", "mac", "ip", "state", "detail", "version", "token", "ssh_port"];

    private static readonly string[] ClaimColumns =
        ["id", "cluster_id", "host_id", "start_ms", "end_ms", "cpus", "memory_mb", "disk_mb"];

    public async Task<ClusterRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Clusters.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
    }

    /// <summary>The live cluster with this name, else the newest final one, else the cluster with this id.</summary>
    public async Task<ClusterRecord?> FindAsync(string nameOrId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Clusters.FirstOrDefaultAsync(c => c.ActiveName == nameOrId, cancellationToken)
            ?? await db.Clusters.Where(c => c.Name == nameOrId).OrderByDescending(c => c.CreatedMs).FirstOrDefaultAsync(cancellationToken)
            ?? await db.Clusters.FirstOrDefaultAsync(c => c.Id == nameOrId, cancellationToken);
    }

    public async Task<ClusterRecord?> FindByIdempotencyKeyAsync(string key, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Clusters.FirstOrDefaultAsync(c => c.IdempotencyKey == key, cancellationToken);
    }

    public async Task<bool> NameIsLiveAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Clusters.AnyAsync(c => c.ActiveName == name, cancellationToken);
    }

    /// <summary>Clusters, newest first; final ones only when asked.</summary>
    public async Task<IReadOnlyList<ClusterRecord>> ListAsync(bool includeFinal, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var query = db.Clusters.AsQueryable();
        if (!includeFinal)
        {
            query = query.Where(c => c.ActiveName != null);
        }

        return await query.OrderByDescending(c => c.CreatedMs).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<NodeRecord>> GetNodesAsync(string clusterId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Nodes.Where(n => n.ClusterId == clusterId).OrderBy(n => n.Idx).ToListAsync(cancellationToken);
    }

    /// <summary>Claims that end after <paramref name="fromMs"/>: all that can matter for a window starting then.</summary>
    public static async Task<IReadOnlyList<ClaimRecord>> ClaimsEndingAfterAsync(VcmDbContext db, long fromMs, CancellationToken cancellationToken) =>
        await db.Claims.Where(c => c.EndMs > fromMs).ToListAsync(cancellationToken);

    /// <summary>Stores a newly admitted cluster with its nodes and claims, in the caller's transaction.</summary>
    public static async Task InsertAsync(
        VcmDbContext db,
        ClusterRecord cluster,
        IReadOnlyList<NodeRecord> nodes,
        IReadOnlyList<ClaimRecord> claims,
        EventRecord admitted,
        CancellationToken cancellationToken,
        IReadOnlyList<ClusterPartRecord>? parts = null)
    {
        db.Clusters.Add(cluster);
        db.Events.Add(admitted);
        await db.SaveChangesAsync(cancellationToken);
        if (parts is { Count: > 0 })
        {
            // after the cluster row (the model has no navigation that would order them)
            db.ClusterParts.AddRange(parts);
            await db.SaveChangesAsync(cancellationToken);
        }

        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        await BulkInsert.RunAsync(connection, transaction, "nodes", NodeColumns, nodes, n =>
            [n.Id, n.ClusterId, n.Name, n.Role, n.Idx, n.HostId, n.RemoteHost, n.Site, n.Mac, n.Ip, n.State, n.Detail, n.Version, n.Token, n.SshPort], cancellationToken);
        await BulkInsert.RunAsync(connection, transaction, "claims", ClaimColumns, claims, c =>
            [c.Id, c.ClusterId, c.HostId, c.StartMs, c.EndMs, c.Cpus, c.MemoryMb, c.DiskMb], cancellationToken);
    }

    /// <summary>Sets the observed state of nodes, by name. Returns how many rows changed.</summary>
    public async Task<int> SetNodeStatesAsync(
        string clusterId, IReadOnlyDictionary<string, (string State, string? Detail)> states, CancellationToken cancellationToken)
    {
        if (states.Count == 0)
        {
            return 0;
        }

        await using var db = database.CreateContext();
        await using var efTransaction = await db.BeginWriteAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        var transaction = efTransaction.DbTransaction;
        var changed = 0;
        var first = states.Values.First();
        if (states.Values.All(v => v == first)
            && await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM nodes WHERE cluster_id = @clusterId", new { clusterId }, transaction) == states.Count)
        {
            // Every node of the cluster gets the same state (the common case): one statement, no name list.
            changed = await connection.ExecuteAsync(
                "UPDATE nodes SET state = @state, detail = @detail, version = version + 1 WHERE cluster_id = @clusterId " +
                "AND (state <> @state OR detail IS NULL AND @detail IS NOT NULL OR detail <> @detail OR detail IS NOT NULL AND @detail IS NULL)",
                new { state = first.State, detail = first.Detail, clusterId },
                transaction);
            await efTransaction.CommitAsync(cancellationToken);
            return changed;
        }

        foreach (var group in states.GroupBy(kv => kv.Value))
        {
            foreach (var chunk in group.Select(kv => kv.Key).Chunk(1000))
            {
                var parameters = new DynamicParameters(new { state = group.Key.State, detail = group.Key.Detail, clusterId });
                changed += await connection.ExecuteAsync(
                    "UPDATE nodes SET state = @state, detail = @detail, version = version + 1 " +
                    $"WHERE cluster_id = @clusterId AND {SqlList.In("name", chunk, parameters, "n")} " +
                    "AND (state <> @state OR detail IS NULL AND @detail IS NOT NULL OR detail <> @detail OR detail IS NOT NULL AND @detail IS NULL)",
                    parameters,
                    transaction);
            }
        }

        await efTransaction.CommitAsync(cancellationToken);
        return changed;
    }

    /// <summary>
    /// Records what a reconcile saw of nodes: states (one statement when they agree, as in
    /// <see cref="SetNodeStatesAsync"/>), and per node a boot time or a reported host key where given.
    /// </summary>
    public async Task ObserveNodesAsync(string clusterId, IReadOnlyList<NodeObservation> observations, CancellationToken cancellationToken)
    {
        await SetNodeStatesAsync(clusterId, observations.ToDictionary(o => o.Name, o => (o.State, o.Detail)), cancellationToken);
        var detailed = observations.Where(o => o.BootedMs is not null || o.HostKey is not null || o.RemoteHost is not null).ToList();
        if (detailed.Count == 0)
        {
            return;
        }

        await database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText =
                "UPDATE nodes SET booted_ms = COALESCE(@booted, booted_ms), host_key = COALESCE(@key, host_key), " +
                "host_key_fingerprint = COALESCE(@fingerprint, host_key_fingerprint), remote_host = COALESCE(@remote, remote_host), version = version + 1 " +
                "WHERE cluster_id = @cluster AND name = @name";
            var booted = Parameter(command, "@booted", System.Data.DbType.Int64);
            var key = Parameter(command, "@key", System.Data.DbType.String);
            var fingerprint = Parameter(command, "@fingerprint", System.Data.DbType.String);
            var remote = Parameter(command, "@remote", System.Data.DbType.String);
            var cluster = Parameter(command, "@cluster", System.Data.DbType.String);
            var name = Parameter(command, "@name", System.Data.DbType.String);
            cluster.Value = clusterId;
            await command.PrepareAsync(cancellationToken);
            foreach (var o in detailed)
            {
                booted.Value = o.BootedMs is { } b ? b : DBNull.Value;
                key.Value = (object?)o.HostKey ?? DBNull.Value;
                fingerprint.Value = (object?)o.Fingerprint ?? DBNull.Value;
                remote.Value = (object?)o.RemoteHost ?? DBNull.Value;
                name.Value = o.Name;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return 0;
        }, cancellationToken);
    }

    private static System.Data.Common.DbParameter Parameter(System.Data.Common.DbCommand command, string name, System.Data.DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>The external addresses held by the site's live clusters.</summary>
    public async Task<IReadOnlySet<string>> UsedExternalIpsAsync(string siteId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var used = await db.Clusters.Where(c => c.SiteId == siteId && c.ActiveExternalIp != null).Select(c => c.ActiveExternalIp!).ToListAsync(cancellationToken);
        return used.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Frees a cluster's capacity (and bumps its site's calendar version).</summary>
    public async Task<int> DeleteClaimsAsync(string clusterId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.BeginWriteAsync(cancellationToken);
        var siteId = await db.Clusters.Where(c => c.Id == clusterId).Select(c => c.SiteId).FirstOrDefaultAsync(cancellationToken);
        var freed = siteId is null ? 0 : await FreeClaimsAsync(db, clusterId, siteId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return freed;
    }

    /// <summary>Frees a cluster's capacity in the caller's transaction, bumping the site's calendar version with it.</summary>
    public static async Task<int> FreeClaimsAsync(VcmDbContext db, string clusterId, string siteId, CancellationToken cancellationToken)
    {
        var freed = await db.Claims.Where(c => c.ClusterId == clusterId).ExecuteDeleteAsync(cancellationToken);
        await CalendarVersion.BumpAsync(db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction(), siteId);
        return freed;
    }

    /// <summary>
    /// Saves a changed cluster (tracked by <paramref name="db"/>) with events, checking the version it was read
    /// at. Returns false when someone else changed it meanwhile.
    /// </summary>
    public static async Task<bool> SaveAsync(VcmDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    /// <summary>The subnets of the site's live clusters.</summary>
    public async Task<IReadOnlyList<string>> LiveSubnetsAsync(string siteId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Clusters.Where(c => c.SiteId == siteId && c.ActiveName != null).Select(c => c.Subnet).ToListAsync(cancellationToken);
    }

    /// <summary>The VNIs held by the site's live clusters.</summary>
    public async Task<IReadOnlySet<int>> UsedVnisAsync(string siteId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var used = await db.Clusters.Where(c => c.SiteId == siteId && c.ActiveVni != null).Select(c => c.ActiveVni!.Value).ToListAsync(cancellationToken);
        return used.ToHashSet();
    }
}
