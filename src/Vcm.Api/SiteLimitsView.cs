namespace Vcm.Api;

/// <summary>The limits this site's provider sets on reservations: the longest lease and how far ahead one may start, like 7d, and how many times a cluster may be extended; null: no limit.</summary>
public sealed record SiteLimitsView(string? MaxLease, string? MaxAdvance, string? MaxExtensions = null);
