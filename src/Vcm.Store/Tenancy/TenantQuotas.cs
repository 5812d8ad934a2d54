using Vcm.Domain.Tenancy;
using Vcm.Store.Records;

namespace Vcm.Store.Tenancy;

/// <summary>A tenant row's quota columns as the domain's <see cref="TenantQuota"/>.</summary>
public static class TenantQuotas
{
    public static TenantQuota Read(TenantRecord tenant) => new()
    {
        Nodes = tenant.QuotaNodes,
        Vcpus = tenant.QuotaVcpus,
        MemoryMb = tenant.QuotaMemoryMb,
        SharedMb = tenant.QuotaSharedMb,
        NodeHours = tenant.QuotaNodeHours,
    };

    public static void Write(TenantRecord tenant, TenantQuota quota)
    {
        tenant.QuotaNodes = quota.Nodes;
        tenant.QuotaVcpus = quota.Vcpus;
        tenant.QuotaMemoryMb = quota.MemoryMb;
        tenant.QuotaSharedMb = quota.SharedMb;
        tenant.QuotaNodeHours = quota.NodeHours;
    }
}
