using System.Text.Json.Serialization;

namespace Vcm.Domain.Clusters;

/// <summary>
/// How a cluster's packages reach its nodes (<c>--install</c>): <see cref="Auto"/> lets the cost model choose the way
/// with the least estimated time to Ready; <see cref="Layer"/> only a layer (exact, cache image, or built now);
/// <see cref="Boot"/> installing at boot from the site's package repository (over the cache image when it holds part
/// of the set, else over the base image).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<InstallMode>))]
public enum InstallMode
{
    [JsonStringEnumMemberName("auto")]
    Auto,

    [JsonStringEnumMemberName("layer")]
    Layer,

    [JsonStringEnumMemberName("boot")]
    Boot,
}
