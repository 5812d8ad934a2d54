namespace Vcm.Domain.Series;

/// <summary>One start of a series: the instant, the local time it was planned in (the zone's, or the start's offset), and its cluster's name.</summary>
public sealed record Occurrence(DateTimeOffset Start, DateTime LocalStart, string Name)
{
    /// <summary>The local date of its start, as in its name and in the API's occurrence paths: 2027-04-06.</summary>
    public string Date => LocalStart.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
