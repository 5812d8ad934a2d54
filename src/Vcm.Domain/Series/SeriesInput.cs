using Vcm.Domain.Clusters;

namespace Vcm.Domain.Series;

/// <summary>
/// A recurring reservation as the user wrote it: the body of POST /api/v1/series. The fields of a cluster request
/// (each occurrence is such a cluster; <see cref="ClusterSpecInput.Start"/> is the first occurrence's start) and the rule.
/// </summary>
public sealed record SeriesInput : ClusterSpecInput
{
    /// <summary>An RFC 5545 recurrence rule, like <c>FREQ=WEEKLY;BYDAY=TU;COUNT=15</c>; it must end (COUNT or UNTIL).</summary>
    public string? Repeat { get; init; }

    /// <summary>
    /// An IANA time zone, like <c>Europe/Berlin</c>: the occurrences keep the first start's local time in it across
    /// daylight-saving changes, and <see cref="ClusterSpecInput.Start"/> may then be a local time without an offset.
    /// Without it the start's own offset is kept for every occurrence.
    /// </summary>
    public string? TimeZone { get; init; }

    /// <summary>Admit the occurrences that fit and list the others, instead of refusing the series as a whole.</summary>
    public bool? AllowPartial { get; init; }
}
