using Vcm.Store;
using Vcm.Testing;
using Xunit;

namespace Vcm.Store.Tests;

/// <summary>
/// The store suite on a fresh PostgreSQL database per test (VCM_TEST_PG, or a throwaway server), and what only
/// PostgreSQL promises: several managers sharing one database.
/// </summary>
public sealed class PostgresStoreTests() : StoreSuite(StoreProvider.Postgres)
{
    [Fact]
    public async Task Migrate_ManyManagersAtOnce_EachScriptAppliedOnce()
    {
        await using var empty = await TestDatabase.CreateAsync(StoreProvider.Postgres, migrate: false);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var managers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            await new Database(empty.Options).MigrateAsync(CancellationToken.None);
        })).ToList();
        start.SetResult();

        await Task.WhenAll(managers);

        var snapshot = await DbSnapshot.TakeAsync(empty.Database);
        Assert.Equal(Migrator.Scripts(StoreProvider.Postgres).Count, snapshot["schema_migrations"].Count);
        Assert.Equal(2, snapshot["images"].Count);
    }
}
