namespace Vcm.Domain.Scheduling;

/// <summary>
/// The answer to growing a cluster by some nodes: their placement (claims for the rest of the window), or why not
/// and the most of them that would fit (0 when none).
/// </summary>
public sealed record GrowDecision(Placement? Placement, int LargestFit, string? Reason)
{
    public bool Fits => Placement is not null;
}
