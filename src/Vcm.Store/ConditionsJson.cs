using System.Text.Json;
using System.Text.Json.Serialization;
using Vcm.Domain.Clusters;

namespace Vcm.Store;

/// <summary>A cluster's conditions as kept in its conditions column.</summary>
internal static class ConditionsJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize(IReadOnlyList<ClusterCondition> conditions) => JsonSerializer.Serialize(conditions, Options);

    public static IReadOnlyList<ClusterCondition> Deserialize(string json) =>
        JsonSerializer.Deserialize<List<ClusterCondition>>(json, Options) ?? [];
}
