namespace Vcm.Api;

/// <summary>Sets the site's reservation limits: a duration like 30d (a count for maxExtensions), or none; a field left out stays as it is.</summary>
public sealed record SiteLimitsRequest(string? MaxLease, string? MaxAdvance, string? MaxExtensions = null);
