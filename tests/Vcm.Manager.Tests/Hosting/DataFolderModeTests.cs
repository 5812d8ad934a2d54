using Microsoft.Data.Sqlite;
using Vcm.Manager.Configuration;
using Vcm.Manager.Hosting;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Hosting;

/// <summary>
/// The data folder and the SQLite database in it (agents' keys, clusters' secrets) are the owner's alone: the folder
/// 0700, the database and its -wal and -shm 0600 — when the manager makes them, and when it finds them looser.
/// </summary>
public sealed class DataFolderModeTests : IDisposable
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode File0644 = File0600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly TempDirectory _root = new("vcm-modes");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _root.Dispose();
    }

    [Fact]
    public async Task NewDataFolder_Folder0700_Database0600_WalAndShm0600()
    {
        var data = _root.Combine("data");

        await StartAndStopAsync(data);
        var db = Path.Combine(data, "vcm.db");

        // An open connection of this test's own keeps -wal and -shm there (other tests clear SQLite's pools at any time).
        await using var open = new SqliteConnection($"Data Source={db};Pooling=False");
        await open.OpenAsync();
        await using (var read = open.CreateCommand())
        {
            read.CommandText = "SELECT count(*) FROM sites";
            await read.ExecuteScalarAsync();
        }

        Assert.Equal(Folder, File.GetUnixFileMode(data));
        Assert.True(File.Exists(db + "-wal") && File.Exists(db + "-shm"), "SQLite made no -wal or -shm to check");
        Assert.All(new[] { db, db + "-wal", db + "-shm" }, f => Assert.Equal(File0600, File.GetUnixFileMode(f)));
    }

    [Fact]
    public async Task LooserFolderAndDatabase_TightenedAtStart()
    {
        var data = _root.Combine("data");
        Directory.CreateDirectory(data, Folder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(data, Folder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var db = Path.Combine(data, "vcm.db");
        await StartAndStopAsync(data);
        SqliteConnection.ClearAllPools(); // closes the database: SQLite removes -wal and -shm with the last connection
        File.WriteAllBytes(db + "-shm", []);
        foreach (var file in new[] { db, db + "-shm" })
        {
            File.SetUnixFileMode(file, File0644);
        }

        File.SetUnixFileMode(data, Folder | UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        await StartAndStopAsync(data);

        Assert.Equal(Folder, File.GetUnixFileMode(data));
        Assert.All(new[] { db, db + "-wal", db + "-shm" }.Where(File.Exists), f => Assert.Equal(File0600, File.GetUnixFileMode(f)));
    }

    private static async Task StartAndStopAsync(string data)
    {
        var options = new ManagerOptions { DataDirectory = data, Controllers = new ControllerOptions { Enabled = false } };
        await using var manager = await ManagerServer.BuildAsync(options, CancellationToken.None, agentClient: new InProcessAgentClient(Vcm.Agent.Hosting.AgentHosts.Simulated(1, "sim", new Vcm.Agent.Sim.SimOptions())));
    }
}
