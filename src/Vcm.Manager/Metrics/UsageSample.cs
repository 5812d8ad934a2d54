namespace Vcm.Manager.Metrics;

/// <summary>A VM's use at one heartbeat: CPU as a percentage of one CPU since the report before (200 = two CPUs busy), resident memory.</summary>
public sealed record UsageSample(DateTimeOffset At, double CpuPercent, long MemoryBytes);
