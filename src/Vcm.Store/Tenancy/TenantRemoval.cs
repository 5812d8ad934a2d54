namespace Vcm.Store.Tenancy;

/// <summary>What removing a tenant came to.</summary>
public enum TenantRemoval
{
    Removed,
    NotFound,
    HasLiveClusters,
}
