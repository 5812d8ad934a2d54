namespace Vcm.Api;

/// <summary>A tenant: its quota (null: no limit) and what it holds against it, how many users it has and how many live clusters it owns.</summary>
public sealed record TenantView(string Name, QuotaView Quota, QuotaUsageView Usage, int Users, int LiveClusters, DateTimeOffset CreatedAt);
