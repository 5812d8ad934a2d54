namespace Vcm.Api;

public sealed record CapacityView(long Cpus, string Memory, string Disk);
