using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vcm.Domain.Clusters;

/// <summary>A <see cref="ClusterSpec"/> as JSON text, the way the store keeps it (camelCase, nulls left out).</summary>
public static class ClusterSpecJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(ClusterSpec spec) => JsonSerializer.Serialize(spec, Options);

    public static ClusterSpec Deserialize(string json) =>
        JsonSerializer.Deserialize<ClusterSpec>(json, Options) ?? throw new JsonException("the cluster spec is empty");
}
