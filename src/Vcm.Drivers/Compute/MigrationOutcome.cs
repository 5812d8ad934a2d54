namespace Vcm.Drivers.Compute;

public enum MigrationOutcome
{
    /// <summary>The VM runs on the destination; the source's copy is stopped (<see cref="VmState.Migrated"/>).</summary>
    Completed,

    /// <summary>The VM still runs on the source; the destination's copy is to be deleted.</summary>
    Failed,
}
