namespace Vcm.Api;

/// <summary>One sample of a node's use: CPU as a percentage of one CPU since the sample before (200 = two CPUs busy), resident memory in bytes.</summary>
public sealed record UsageSampleView(DateTimeOffset At, double CpuPercent, long MemoryBytes);
