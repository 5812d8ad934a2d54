namespace Vcm.Domain.Moves;

public static class MigrationStates
{
    /// <summary>The states of a migration that still has work to do (a node has at most one such; the database's partial index keeps it so).</summary>
    public static readonly IReadOnlyList<MigrationState> Active = [MigrationState.Pending, MigrationState.Moved, MigrationState.Aborting];
}
