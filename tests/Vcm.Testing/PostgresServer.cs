using Npgsql;
using Vcm.Drivers.Processes;

namespace Vcm.Testing;

/// <summary>
/// The PostgreSQL server the tests use: the one `./test` started (VCM_TEST_PG), or else a throwaway server this
/// test process starts with tests/postgres.sh and stops when it exits.
/// </summary>
public static class PostgresServer
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _connectionString;

    public static async Task<string> ConnectionStringAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_connectionString is not null)
            {
                return _connectionString;
            }

            var fromEnvironment = Environment.GetEnvironmentVariable("VCM_TEST_PG");
            if (!string.IsNullOrEmpty(fromEnvironment))
            {
                return _connectionString = fromEnvironment;
            }

            var dir = Path.Combine(Path.GetTempPath(), $"vcm-pg-{Environment.ProcessId}");
            var port = FreePort.Next();
            var script = Path.Combine(RepoPaths.Root, "tests", "postgres.sh");
            var started = await ProcessRunner.Instance.RunAsync(
                new ProcessSpec(script, ["start", dir, port.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { Timeout = TimeSpan.FromMinutes(5) },
                CancellationToken.None);
            started.EnsureSuccess();
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                ProcessRunner.Instance.RunAsync(new ProcessSpec(script, ["stop", dir]), CancellationToken.None).GetAwaiter().GetResult();
            return _connectionString = started.StandardOutput.Trim();
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Makes a fresh, empty database and returns its connection string.</summary>
    public static async Task<(string Name, string ConnectionString)> CreateDatabaseAsync()
    {
        var server = await ConnectionStringAsync();
        var name = "vcm_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 50 };
        return (name, builder.ConnectionString);
    }

    public static async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(await ConnectionStringAsync());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
