namespace Vcm.Api;

/// <summary>
/// Sets the site's reservation limits: a duration like 30d (a count for maxExtensions), or none; the most occurrences
/// of one series (1 to 1000); a field left out stays as it is.
/// </summary>
public sealed record SiteLimitsRequest(string? MaxLease, string? MaxAdvance, int? MaxOccurrences = null, string? MaxExtensions = null);
