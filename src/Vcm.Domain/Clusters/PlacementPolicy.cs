using System.Text.Json.Serialization;

namespace Vcm.Domain.Clusters;

/// <summary>How nodes are laid over hosts: fill few hosts (pack) or use as many as possible (spread).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PlacementPolicy>))]
public enum PlacementPolicy
{
    [JsonStringEnumMemberName("pack")]
    Pack,

    [JsonStringEnumMemberName("spread")]
    Spread,
}
