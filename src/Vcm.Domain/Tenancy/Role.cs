namespace Vcm.Domain.Tenancy;

/// <summary>
/// What a user may do, each role holding the ones below it: a reader sees its tenant's clusters; a member also
/// creates and manages its own; a tenant-admin manages the tenant's users and all its clusters; the provider runs the
/// site (hosts, peers, tenants, quotas, every cluster).
/// </summary>
public enum Role
{
    Reader = 1,
    Member = 2,
    TenantAdmin = 3,
    Provider = 4,
}
