namespace Vcm.Domain.Scheduling;

/// <summary>
/// The answer to an extension: it fits, or why not and the latest end that would fit (equal to the current end when
/// no longer window fits at all).
/// </summary>
public sealed record ExtendDecision(bool Fits, DateTimeOffset LatestEnd, string? Reason)
{
    public static ExtendDecision Fit(DateTimeOffset end) => new(true, end, null);

    public static ExtendDecision Refuse(DateTimeOffset latestEnd, string reason) => new(false, latestEnd, reason);
}
