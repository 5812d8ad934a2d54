namespace Vcm.Domain.Clusters;

/// <summary>Setting and clearing a cluster's conditions: pure, each change a new list (unchanged lists are returned as they are).</summary>
public static class ClusterConditions
{
    /// <summary>
    /// The list with a condition of <paramref name="type"/> holding now: its reason and message updated, its attempts
    /// counted, and its <see cref="ClusterCondition.Since"/> kept from when it began to hold.
    /// </summary>
    public static IReadOnlyList<ClusterCondition> With(
        IReadOnlyList<ClusterCondition> conditions, ConditionType type, string reason, string message, DateTimeOffset now)
    {
        var earlier = conditions.FirstOrDefault(c => c.Type == type);
        var condition = new ClusterCondition(type, reason, message, earlier?.Since ?? now, now, (earlier?.Attempts ?? 0) + 1);
        return [.. conditions.Where(c => c.Type != type), condition];
    }

    /// <summary>The list without a condition of <paramref name="type"/> (the same list when it had none).</summary>
    public static IReadOnlyList<ClusterCondition> Without(IReadOnlyList<ClusterCondition> conditions, ConditionType type) =>
        conditions.Any(c => c.Type == type) ? conditions.Where(c => c.Type != type).ToList() : conditions;
}
