using Vcm.Store;

namespace Vcm.Store.Tests;

/// <summary>The store suite on a temporary SQLite file per test.</summary>
public sealed class SqliteStoreTests() : StoreSuite(StoreProvider.Sqlite);
