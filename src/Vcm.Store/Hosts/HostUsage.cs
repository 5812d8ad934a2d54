namespace Vcm.Store.Hosts;

/// <summary>What claims hold on one host at one moment.</summary>
public sealed record HostUsage(string HostId, long Cpus, long MemoryMb, long DiskMb);
