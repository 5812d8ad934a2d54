using System.Text.Json.Serialization;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Images;
using Vcm.Drivers.Network;
using Vcm.Drivers.Storage;

namespace Vcm.Drivers.Rpc;

/// <summary>One idempotent thing for an agent to do on a host.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(EnsureSegmentStep), "ensureSegment")]
[JsonDerivedType(typeof(DeleteSegmentStep), "deleteSegment")]
[JsonDerivedType(typeof(EnsureGatewayStep), "ensureGateway")]
[JsonDerivedType(typeof(DeleteGatewayStep), "deleteGateway")]
[JsonDerivedType(typeof(EnsureVpnStep), "ensureVpn")]
[JsonDerivedType(typeof(DeleteVpnStep), "deleteVpn")]
[JsonDerivedType(typeof(EnsureVolumeStep), "ensureVolume")]
[JsonDerivedType(typeof(DeleteVolumeStep), "deleteVolume")]
[JsonDerivedType(typeof(EnsureImageStep), "ensureImage")]
[JsonDerivedType(typeof(EnsureDiskStep), "ensureDisk")]
[JsonDerivedType(typeof(DeleteDiskStep), "deleteDisk")]
[JsonDerivedType(typeof(EnsureVmStep), "ensureVm")]
[JsonDerivedType(typeof(DeleteVmStep), "deleteVm")]
[JsonDerivedType(typeof(PrepareIncomingVmStep), "prepareIncomingVm")]
[JsonDerivedType(typeof(MigrateVmStep), "migrateVm")]
[JsonDerivedType(typeof(WipeHostStep), "wipeHost")]
[JsonDerivedType(typeof(EnsureMigrationRelayStep), "ensureMigrationRelay")]
[JsonDerivedType(typeof(DeleteMigrationRelayStep), "deleteMigrationRelay")]
public abstract record HostStep
{
    /// <summary>The name of the object the step is about.</summary>
    [JsonIgnore]
    public abstract string Target { get; }

    /// <summary>What the step does (named like its type: an EnsureVmStep is <see cref="StepKind.EnsureVm"/>).</summary>
    [JsonIgnore]
    public StepKind Kind => Kinds.GetOrAdd(GetType(), type => Enum.Parse<StepKind>(type.Name[..^"Step".Length]));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, StepKind> Kinds = new();
}

public sealed record EnsureSegmentStep(SegmentSpec Segment) : HostStep
{
    public override string Target => Segment.Bridge;
}

public sealed record DeleteSegmentStep(string Bridge) : HostStep
{
    public override string Target => Bridge;
}

public sealed record EnsureGatewayStep(GatewaySpec Gateway) : HostStep
{
    public override string Target => Gateway.Name;
}

public sealed record DeleteGatewayStep(string Name) : HostStep
{
    public override string Target => Name;
}

public sealed record EnsureVpnStep(VpnSpec Vpn) : HostStep
{
    public override string Target => Vpn.Name;
}

public sealed record DeleteVpnStep(string Name) : HostStep
{
    public override string Target => Name;
}

public sealed record EnsureVolumeStep(VolumeSpec Volume) : HostStep
{
    public override string Target => Volume.Name;
}

public sealed record DeleteVolumeStep(string Name) : HostStep
{
    public override string Target => Name;
}

public sealed record EnsureImageStep(string Image) : HostStep
{
    public override string Target => Image;

    /// <summary>A host to copy the image from as it arrives there (a chain of hosts), the store being the fallback; null: the store.</summary>
    public ImagePeer? Peer { get; init; }
}

public sealed record EnsureDiskStep(DiskSpec Disk) : HostStep
{
    public override string Target => Disk.Name;
}

public sealed record DeleteDiskStep(string Name) : HostStep
{
    public override string Target => Name;
}

public sealed record EnsureVmStep(VmSpec Vm) : HostStep
{
    public override string Target => Vm.Name;
}

public sealed record DeleteVmStep(string Name) : HostStep
{
    public override string Target => Name;
}

/// <summary>Starts the VM as the receiving end of a live migration, listening on <see cref="ListenAddress"/>; the result carries <see cref="StepResult.Incoming"/>.</summary>
public sealed record PrepareIncomingVmStep(VmSpec Vm, string ListenAddress) : HostStep
{
    public override string Target => Vm.Name;
}

/// <summary>Live-migrates the VM to <see cref="Destination"/> and waits for the end; the result carries <see cref="StepResult.Migration"/>.</summary>
public sealed record MigrateVmStep(string Name, IncomingVm Destination) : HostStep
{
    public override string Target => Name;
}

/// <summary>Makes one end of a cross-site migration's relay; the result carries <see cref="StepResult.Incoming"/> (for the sending end, where the source migrates to).</summary>
public sealed record EnsureMigrationRelayStep(MigrationRelaySpec Relay) : HostStep
{
    public override string Target => Relay.Name;
}

public sealed record DeleteMigrationRelayStep(string Name) : HostStep
{
    public override string Target => Name;
}

/// <summary>
/// Removes everything vcm made on the host — VMs, disks, migration relay ends, VPN ends, gateways, segments, volumes — before a host that
/// was declared dead or fenced takes work again (its clusters' pieces were rebuilt elsewhere). Deleted when something
/// was removed, Absent when there was nothing.
/// </summary>
public sealed record WipeHostStep : HostStep
{
    public override string Target => "everything";
}
