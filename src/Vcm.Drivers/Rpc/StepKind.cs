namespace Vcm.Drivers.Rpc;

/// <summary>What a <see cref="HostStep"/> does; on the wire in camel case ("ensureVm"), the step's JSON type discriminator.</summary>
public enum StepKind
{
    EnsureSegment,
    DeleteSegment,
    EnsureGateway,
    DeleteGateway,
    EnsureVpn,
    DeleteVpn,
    EnsureVolume,
    DeleteVolume,
    EnsureImage,
    EnsureDisk,
    DeleteDisk,
    EnsureVm,
    DeleteVm,
    PrepareIncomingVm,
    MigrateVm,
    WipeHost,
    EnsureMigrationRelay,
    DeleteMigrationRelay,
}
