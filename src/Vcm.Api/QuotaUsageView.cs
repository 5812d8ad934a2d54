namespace Vcm.Api;

/// <summary>
/// What a tenant holds against its quota: at the busiest moment from now on of its reservations (each resource on its
/// own), and node-hours in this calendar month (UTC).
/// </summary>
public sealed record QuotaUsageView(long Nodes, long Vcpus, string Memory, string Shared, long NodeHoursThisMonth);
