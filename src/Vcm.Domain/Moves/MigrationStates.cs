namespace Vcm.Domain.Moves;

public static class MigrationStates
{
    /// <summary>Whether the migration still has work to do (the states a node may be in only one of at a time).</summary>
    public static bool IsActive(this MigrationState state) => state is MigrationState.Pending or MigrationState.Moved or MigrationState.Aborting;

    /// <summary>The stored text of the active states (for the database's partial index and queries).</summary>
    public static readonly IReadOnlyList<MigrationState> Active = [MigrationState.Pending, MigrationState.Moved, MigrationState.Aborting];
}
