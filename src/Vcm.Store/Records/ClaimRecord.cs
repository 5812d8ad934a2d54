namespace Vcm.Store.Records;

public sealed class ClaimRecord
{
    public required string Id { get; set; }

    public required string ClusterId { get; set; }

    public required string HostId { get; set; }

    public long StartMs { get; set; }

    public long EndMs { get; set; }

    public long Cpus { get; set; }

    public long MemoryMb { get; set; }

    public long DiskMb { get; set; }
}
