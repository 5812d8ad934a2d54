namespace Vcm.Drivers;

/// <summary>What an idempotent ensure step did.</summary>
public enum EnsureOutcome
{
    Created,
    Updated,
    Unchanged,
}
