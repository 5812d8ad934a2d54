namespace Vcm.Manager.Admission;

/// <summary>Who a cluster belongs to: its tenant (null: the provider's own) and the user who created it.</summary>
public sealed record ClusterOwner(string? TenantId, string? UserId);
