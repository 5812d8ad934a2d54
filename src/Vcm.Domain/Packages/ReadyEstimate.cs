using System.Text.Json.Serialization;

namespace Vcm.Domain.Packages;

/// <summary>
/// The cost model's answer for one request: the way with the least estimated time to Ready (<see cref="Chosen"/>)
/// and every way it considered, cheapest first.
/// </summary>
public sealed record ReadyEstimate(IReadOnlyList<WayEstimate> Considered)
{
    [JsonIgnore]
    public WayEstimate Chosen => Considered[0];

    [JsonIgnore]
    public ReadyWay Way => Chosen.Way;

    [JsonIgnore]
    public double Seconds => Chosen.Seconds;

    /// <summary>Why this way: its own sum, and what the next best would have cost.</summary>
    [JsonIgnore]
    public string Why => Considered.Count > 1
        ? $"{Chosen.Why}; next best {Considered[1].Way} ≈ {Considered[1].Seconds:0} s"
        : Chosen.Why;
}
