using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Vcm.Store.Auth;
using Vcm.Store.Clusters;
using Vcm.Store.Events;
using Vcm.Store.Hosts;
using Vcm.Store.Records;
using Vcm.Store.Sites;
using Vcm.Testing;
using Xunit;

namespace Vcm.Store.Tests;

/// <summary>
/// The store's behaviour, the same on every provider: each subclass names one, and every test gets a fresh,
/// migrated database of it. The tests are split by area over the StoreSuite.*.cs files.
/// </summary>
public abstract partial class StoreSuite(StoreProvider provider) : IAsyncLifetime
{
    private const long Now = Seed.T0;
    private static readonly CancellationToken Ct = CancellationToken.None;

    private TestDatabase? _testDatabase;

    protected StoreProvider Provider => provider;

    protected Database Database => _testDatabase?.Database ?? throw new InvalidOperationException("the database is made in InitializeAsync");

    private ClusterStore ClusterStore => new(Database);

    private ClusterLeases ClusterLeases => new(Database);

    private HostStore HostStore => new(Database);

    private TokenStore TokenStore => new(Database);

    private EventStore EventStore => new(Database);

    private SiteStore SiteStore => new(Database);

    public async Task InitializeAsync() => _testDatabase = await TestDatabase.CreateAsync(provider);

    public async Task DisposeAsync()
    {
        if (_testDatabase is not null)
        {
            await _testDatabase.DisposeAsync();
        }
    }

    private async Task<ClusterRecord> ClusterAsync(string id) =>
        await ClusterStore.GetAsync(id, Ct) ?? throw new InvalidOperationException($"cluster {id} is gone");

    /// <summary>True when the database refused a row for a unique constraint (not for any other reason).</summary>
    private static bool IsUniqueViolation(DbUpdateException e) => e.InnerException switch
    {
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555, // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    private async Task AssertUniqueViolationAsync(params object[] records)
    {
        var e = await Assert.ThrowsAnyAsync<DbUpdateException>(() => Seed.AddAsync(Database, records));
        Assert.True(IsUniqueViolation(e), $"refused, but not for uniqueness: {e.InnerException?.Message ?? e.Message}");
    }
}
