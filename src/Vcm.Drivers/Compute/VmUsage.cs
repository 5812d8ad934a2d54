namespace Vcm.Drivers.Compute;

/// <summary>What a running VM uses on its host: CPU time since it started (all vCPUs and QEMU's own threads), and resident memory.</summary>
public sealed record VmUsage(double CpuSeconds, long MemoryBytes);
