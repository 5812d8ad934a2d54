namespace Vcm.Drivers.Rpc;

public enum StepOutcome
{
    Created,
    Updated,
    Unchanged,
    Deleted,
    Absent,
    Failed,

    /// <summary>Not tried, because an earlier step for the same host failed.</summary>
    Skipped,
}
