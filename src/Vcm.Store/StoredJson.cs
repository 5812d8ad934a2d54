using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vcm.Store;

/// <summary>Values kept as JSON in a text column (a cluster's conditions, its estimate): web names, enums by name.</summary>
internal static class StoredJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T? Deserialize<T>(string json)
        where T : class =>
        JsonSerializer.Deserialize<T>(json, Options);
}
