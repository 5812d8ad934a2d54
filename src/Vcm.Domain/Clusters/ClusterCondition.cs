namespace Vcm.Domain.Clusters;

/// <summary>
/// A condition that holds for a cluster now: what kind, why (a short reason), what is wrong (a sentence), since
/// when it holds and when it was last seen, and how many attempts saw it. A condition that no longer holds is gone.
/// </summary>
public sealed record ClusterCondition(
    ConditionType Type, string Reason, string Message, DateTimeOffset Since, DateTimeOffset LastSeen, int Attempts);
