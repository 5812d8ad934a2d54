using Vcm.Domain.Clusters;

namespace Vcm.Store;

/// <summary>A cluster's conditions as kept in its conditions column.</summary>
internal static class ConditionsJson
{
    public static string Serialize(IReadOnlyList<ClusterCondition> conditions) => StoredJson.Serialize(conditions);

    public static IReadOnlyList<ClusterCondition> Deserialize(string json) => StoredJson.Deserialize<List<ClusterCondition>>(json) ?? [];
}
