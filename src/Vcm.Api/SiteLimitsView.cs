namespace Vcm.Api;

/// <summary>
/// The limits this site's provider sets on reservations: the longest lease and how far ahead one may start, like 7d,
/// how many times a cluster may be extended (null: no limit), and the most occurrences one series may have.
/// </summary>
public sealed record SiteLimitsView(string? MaxLease, string? MaxAdvance, int MaxOccurrences, string? MaxExtensions = null);
