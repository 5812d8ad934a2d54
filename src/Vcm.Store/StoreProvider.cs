namespace Vcm.Store;

public enum StoreProvider
{
    Sqlite,
    Postgres,
}
