using System.Text.Json.Serialization;

namespace Vcm.Api;

/// <summary>
/// The answer of <c>POST /api/v1/clusters?dryRun=true</c> to a valid request: whether it would be admitted now; if
/// so, the window it would get; if not, why, and the earliest start at which the same request fits (null when none
/// is known, as for a quota).
/// </summary>
public sealed record DryRunView(
    bool Fits,
    DateTimeOffset? Start,
    DateTimeOffset? End,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? Earliest,
    string? Reason);
