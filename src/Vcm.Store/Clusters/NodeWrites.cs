using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Vcm.Domain.Clusters;
using Vcm.Domain.Text;

namespace Vcm.Store.Clusters;

/// <summary>
/// Writes what a reconcile saw of a cluster's nodes, in the caller's transaction, each row once and in as few round
/// trips as the observations allow: a node seen with a boot time, host key or remote host is written with its state
/// by one statement per 1,000 such nodes (the values joined to the rows; on SQLite, a prepared statement per node);
/// the others by one statement per distinct (state, detail) — one for the whole cluster when every node agrees.
/// </summary>
internal static class NodeWrites
{
    private const int RowsPerStatement = 1000;

    public static async Task ApplyAsync(
        DbConnection connection, DbTransaction transaction, string clusterId, int nodeCount, IReadOnlyCollection<NodeObservation> observations,
        CancellationToken cancellationToken)
    {
        var detailed = observations.Where(o => o.BootedMs is not null || o.HostKey is not null || o.RemoteHost is not null).ToList();
        if (connection is SqliteConnection)
        {
            await UpdateEachPreparedAsync(connection, transaction, clusterId, detailed, cancellationToken);
        }
        else
        {
            foreach (var chunk in detailed.Chunk(RowsPerStatement))
            {
                await UpdateEachAsync(connection, transaction, clusterId, chunk, cancellationToken);
            }
        }

        foreach (var group in observations.Except(detailed).GroupBy(o => (o.State, o.Detail)))
        {
            var names = group.Select(o => o.Name).ToList();
            if (names.Count == nodeCount)
            {
                await UpdateStateAsync(connection, transaction, clusterId, group.Key.State, group.Key.Detail, null, cancellationToken);
                continue;
            }

            foreach (var chunk in names.Chunk(RowsPerStatement))
            {
                await UpdateStateAsync(connection, transaction, clusterId, group.Key.State, group.Key.Detail, chunk, cancellationToken);
            }
        }
    }

    /// <summary>Nodes of one state and detail; a node already so is left as it is.</summary>
    private static async Task UpdateStateAsync(
        DbConnection connection, DbTransaction transaction, string clusterId, NodeState state, string? detail, string[]? names,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        Add(command, "@cluster", DbType.String, clusterId);
        Add(command, "@state", DbType.String, EnumText.Lower(state));
        Add(command, "@detail", DbType.String, detail);
        var only = "";
        if (names is not null)
        {
            for (var i = 0; i < names.Length; i++)
            {
                Add(command, $"@n{i}", DbType.String, names[i]);
            }

            only = $" AND name IN ({string.Join(", ", Enumerable.Range(0, names.Length).Select(i => $"@n{i}"))})";
        }

        command.CommandText =
            "UPDATE nodes SET state = @state, detail = @detail, version = version + 1 WHERE cluster_id = @cluster" + only +
            " AND (state <> @state OR detail IS NULL AND @detail IS NOT NULL OR detail <> @detail OR detail IS NOT NULL AND @detail IS NULL)";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Each node's state and detail with its boot time, host key and remote host (those not given are kept).</summary>
    private static async Task UpdateEachAsync(
        DbConnection connection, DbTransaction transaction, string clusterId, NodeObservation[] chunk, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        Add(command, "@cluster", DbType.String, clusterId);
        var rows = new List<string>(chunk.Length);
        for (var i = 0; i < chunk.Length; i++)
        {
            var o = chunk[i];
            Add(command, $"@n{i}", DbType.String, o.Name);
            Add(command, $"@s{i}", DbType.String, EnumText.Lower(o.State));
            Add(command, $"@d{i}", DbType.String, o.Detail);
            Add(command, $"@b{i}", DbType.Int64, o.BootedMs);
            Add(command, $"@k{i}", DbType.String, o.HostKey);
            Add(command, $"@f{i}", DbType.String, o.Fingerprint);
            Add(command, $"@r{i}", DbType.String, o.RemoteHost);
            rows.Add($"(@n{i}, @s{i}, @d{i}, @b{i}, @k{i}, @f{i}, @r{i})");
        }

        // VALUES columns are named column1 … column7 on both SQLite and PostgreSQL
        command.CommandText =
            "UPDATE nodes SET state = v.column2, detail = v.column3, booted_ms = COALESCE(v.column4, nodes.booted_ms), " +
            "host_key = COALESCE(v.column5, nodes.host_key), host_key_fingerprint = COALESCE(v.column6, nodes.host_key_fingerprint), " +
            "remote_host = COALESCE(v.column7, nodes.remote_host), version = nodes.version + 1 " +
            $"FROM (VALUES {string.Join(", ", rows)}) AS v WHERE nodes.cluster_id = @cluster AND nodes.name = v.column1";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The same on SQLite, where a statement costs no round trip but an UPDATE … FROM (VALUES …) is joined by scanning:
    /// one prepared statement re-bound per node.
    /// </summary>
    private static async Task UpdateEachPreparedAsync(
        DbConnection connection, DbTransaction transaction, string clusterId, IReadOnlyList<NodeObservation> detailed, CancellationToken cancellationToken)
    {
        if (detailed.Count == 0)
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            "UPDATE nodes SET state = @state, detail = @detail, booted_ms = COALESCE(@booted, booted_ms), host_key = COALESCE(@key, host_key), " +
            "host_key_fingerprint = COALESCE(@fingerprint, host_key_fingerprint), remote_host = COALESCE(@remote, remote_host), version = version + 1 " +
            "WHERE cluster_id = @cluster AND name = @name";
        Add(command, "@cluster", DbType.String, clusterId);
        var (name, state, detail, booted, key, fingerprint, remote) = (
            Add(command, "@name", DbType.String, null), Add(command, "@state", DbType.String, null), Add(command, "@detail", DbType.String, null),
            Add(command, "@booted", DbType.Int64, null), Add(command, "@key", DbType.String, null), Add(command, "@fingerprint", DbType.String, null),
            Add(command, "@remote", DbType.String, null));
        await command.PrepareAsync(cancellationToken);
        foreach (var o in detailed)
        {
            name.Value = o.Name;
            state.Value = EnumText.Lower(o.State);
            detail.Value = (object?)o.Detail ?? DBNull.Value;
            booted.Value = o.BootedMs is { } b ? b : DBNull.Value;
            key.Value = (object?)o.HostKey ?? DBNull.Value;
            fingerprint.Value = (object?)o.Fingerprint ?? DBNull.Value;
            remote.Value = (object?)o.RemoteHost ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static DbParameter Add(DbCommand command, string name, DbType type, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
