namespace Vcm.Api;

/// <summary>Changes a tenant's quota: the limits named change ("none" lifts one), the others stay.</summary>
public sealed record QuotaRequest(string? Quota);
