namespace Vcm.Drivers.Rpc;

/// <summary>One running VM's use of its host, as an agent's heartbeat reports it: CPU seconds since it started, resident memory.</summary>
public sealed record VmUsageReport(string Host, string Vm, double CpuSeconds, long MemoryBytes);
