namespace Vcm.Api;

/// <summary>A tenant: its quota (null: no limit), how many users it has and how many live clusters it owns.</summary>
public sealed record TenantView(string Name, QuotaView Quota, int Users, int LiveClusters, DateTimeOffset CreatedAt);
