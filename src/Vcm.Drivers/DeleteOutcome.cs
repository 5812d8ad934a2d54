namespace Vcm.Drivers;

/// <summary>What an idempotent delete step did; an absent object counts as success.</summary>
public enum DeleteOutcome
{
    Deleted,
    Absent,
}
