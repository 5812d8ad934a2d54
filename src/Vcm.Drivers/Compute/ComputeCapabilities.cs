namespace Vcm.Drivers.Compute;

/// <summary>What a compute driver can do on its host.</summary>
public sealed record ComputeCapabilities(bool HardwareAcceleration, bool LiveMigration, bool IscsiVolumes);
