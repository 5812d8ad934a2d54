namespace Vcm.Store.Records;

/// <summary>A tenant (a lab, a class, a company): it owns clusters, its users belong to it, its quota bounds them.</summary>
public sealed class TenantRecord
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    public long CreatedMs { get; set; }

    public long? QuotaNodes { get; set; }

    public long? QuotaVcpus { get; set; }

    public long? QuotaMemoryMb { get; set; }

    public long? QuotaSharedMb { get; set; }

    public long? QuotaNodeHours { get; set; }

    public long Version { get; set; } = 1;
}
