using Vcm.Domain.Sizes;

namespace Vcm.Domain.Clusters;

/// <summary>What every node of a cluster gets.</summary>
public sealed record NodeSize(int Cpus, ByteSize Memory, ByteSize Disk);
