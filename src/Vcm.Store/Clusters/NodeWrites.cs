using System.Data;
using System.Data.Common;
using Vcm.Domain.Clusters;
using Vcm.Domain.Text;

namespace Vcm.Store.Clusters;

/// <summary>
/// Writes what a reconcile saw of a cluster's nodes, in the caller's transaction, in as few statements as the
/// observations allow: one statement per distinct (state, detail) — one for the whole cluster when every node agrees
/// — and one prepared statement, re-bound per node, for boot times, host keys and remote hosts. A cluster of 10,000
/// nodes changes state in one statement.
/// </summary>
internal static class NodeWrites
{
    private const int NamesPerStatement = 1000;

    public static async Task ApplyAsync(
        DbConnection connection, DbTransaction transaction, string clusterId, int nodeCount, IReadOnlyCollection<NodeObservation> observations,
        CancellationToken cancellationToken)
    {
        foreach (var group in observations.GroupBy(o => (o.State, o.Detail)))
        {
            var names = group.Select(o => o.Name).ToList();
            if (names.Count == nodeCount)
            {
                await UpdateStateAsync(connection, transaction, clusterId, group.Key.State, group.Key.Detail, null, cancellationToken);
                continue;
            }

            foreach (var chunk in names.Chunk(NamesPerStatement))
            {
                await UpdateStateAsync(connection, transaction, clusterId, group.Key.State, group.Key.Detail, chunk, cancellationToken);
            }
        }

        var detailed = observations.Where(o => o.BootedMs is not null || o.HostKey is not null || o.RemoteHost is not null).ToList();
        if (detailed.Count > 0)
        {
            await UpdateDetailsAsync(connection, transaction, clusterId, detailed, cancellationToken);
        }
    }

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

    private static async Task UpdateDetailsAsync(
        DbConnection connection, DbTransaction transaction, string clusterId, IReadOnlyList<NodeObservation> detailed, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            "UPDATE nodes SET booted_ms = COALESCE(@booted, booted_ms), host_key = COALESCE(@key, host_key), " +
            "host_key_fingerprint = COALESCE(@fingerprint, host_key_fingerprint), remote_host = COALESCE(@remote, remote_host), version = version + 1 " +
            "WHERE cluster_id = @cluster AND name = @name";
        var booted = Add(command, "@booted", DbType.Int64, null);
        var key = Add(command, "@key", DbType.String, null);
        var fingerprint = Add(command, "@fingerprint", DbType.String, null);
        var remote = Add(command, "@remote", DbType.String, null);
        Add(command, "@cluster", DbType.String, clusterId);
        var name = Add(command, "@name", DbType.String, null);
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
