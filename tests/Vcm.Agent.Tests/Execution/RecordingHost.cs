using System.Collections.Concurrent;
using Vcm.Drivers;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Hosts;
using Vcm.Drivers.Images;
using Vcm.Drivers.Network;
using Vcm.Drivers.Storage;

namespace Vcm.Agent.Tests.Execution;

/// <summary>
/// A host whose four drivers only record each call ("kind target") in order, fail for chosen targets, and may run a
/// hook before each call (to hold a call until another host's call has started).
/// </summary>
public sealed class RecordingHost : IHostDrivers, IComputeDriver, INetworkDriver, IStorageDriver, IImageDriver
{
    private readonly ConcurrentQueue<string> _calls = new();

    public RecordingHost(string name)
    {
        Facts = new HostFacts { Name = name, Cpus = 1, MemoryMb = 1024, DiskMb = 1024, Driver = "sim" };
    }

    public HostFacts Facts { get; }

    public IComputeDriver Compute => this;

    public INetworkDriver Network => this;

    public IStorageDriver Storage => this;

    public IImageDriver Images => this;

    public ComputeCapabilities Capabilities { get; } = new(false, false, false);

    /// <summary>The calls so far, "kind target", in the order they were made.</summary>
    public IReadOnlyList<string> Calls => _calls.ToList();

    /// <summary>Targets whose steps throw a <see cref="DriverException"/> (terminal when the value is true).</summary>
    public Dictionary<string, bool> FailOn { get; } = new(StringComparer.Ordinal);

    /// <summary>Targets whose steps throw this exception instead of doing anything.</summary>
    public Dictionary<string, Exception> ThrowOn { get; } = new(StringComparer.Ordinal);

    /// <summary>Runs before each call is recorded as done, with the call's "kind target".</summary>
    public Func<string, CancellationToken, Task>? BeforeEach { get; set; }

    public async Task<Ensured<VmStatus>> EnsureVmAsync(VmSpec spec, CancellationToken cancellationToken)
    {
        await CallAsync("ensureVm", spec.Name, cancellationToken);
        return new Ensured<VmStatus>(EnsureOutcome.Created, new VmStatus(spec.Name, VmState.Running));
    }

    public async Task<DeleteOutcome> DeleteVmAsync(string name, CancellationToken cancellationToken)
    {
        await CallAsync("deleteVm", name, cancellationToken);
        return DeleteOutcome.Deleted;
    }

    public async Task<Ensured<IncomingVm>> PrepareIncomingAsync(VmSpec spec, string listenAddress, CancellationToken cancellationToken)
    {
        await CallAsync("prepareIncomingVm", spec.Name, cancellationToken);
        return new Ensured<IncomingVm>(EnsureOutcome.Created, new IncomingVm(spec.Name, "h", $"tcp:{listenAddress}:1", $"nbd:{listenAddress}:2:exportname=d"));
    }

    public async Task<MigrationReport> MigrateVmAsync(string name, IncomingVm destination, CancellationToken cancellationToken)
    {
        await CallAsync("migrateVm", name, cancellationToken);
        return new MigrationReport(MigrationOutcome.Completed, 1, 1, 1, 1, 1);
    }

    public Task<IReadOnlyList<VmStatus>> ListVmsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<VmStatus>>([]);

    public Task<string?> ConsoleAsync(string name, int maxBytes, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public async Task<EnsureOutcome> EnsureSegmentAsync(SegmentSpec spec, CancellationToken cancellationToken)
    {
        await CallAsync("ensureSegment", spec.Bridge, cancellationToken);
        return EnsureOutcome.Created;
    }

    public async Task<DeleteOutcome> DeleteSegmentAsync(string bridge, CancellationToken cancellationToken)
    {
        await CallAsync("deleteSegment", bridge, cancellationToken);
        return DeleteOutcome.Deleted;
    }

    public async Task<EnsureOutcome> EnsureGatewayAsync(GatewaySpec spec, CancellationToken cancellationToken)
    {
        await CallAsync("ensureGateway", spec.Name, cancellationToken);
        return EnsureOutcome.Created;
    }

    public async Task<DeleteOutcome> DeleteGatewayAsync(string name, CancellationToken cancellationToken)
    {
        await CallAsync("deleteGateway", name, cancellationToken);
        return DeleteOutcome.Deleted;
    }

    Task<NetworkInventory> INetworkDriver.ListAsync(CancellationToken cancellationToken) => Task.FromResult(new NetworkInventory([], []));

    Task<EnsureOutcome> INetworkDriver.EnsureVpnAsync(VpnSpec spec, CancellationToken cancellationToken) => Task.FromResult(EnsureOutcome.Created);

    Task<DeleteOutcome> INetworkDriver.DeleteVpnAsync(string name, CancellationToken cancellationToken) => Task.FromResult(DeleteOutcome.Absent);

    public async Task<Ensured<Vcm.Drivers.Compute.IncomingVm>> EnsureMigrationRelayAsync(MigrationRelaySpec spec, CancellationToken cancellationToken)
    {
        await CallAsync("ensureMigrationRelay", spec.Name, cancellationToken);
        return new Ensured<Vcm.Drivers.Compute.IncomingVm>(EnsureOutcome.Created, new Vcm.Drivers.Compute.IncomingVm(spec.Vm, "recording", $"unix:/relays/{spec.Name}/memory.sock", $"nbd+unix:///disk0?socket=/relays/{spec.Name}/disk.sock"));
    }

    public async Task<DeleteOutcome> DeleteMigrationRelayAsync(string name, CancellationToken cancellationToken)
    {
        await CallAsync("deleteMigrationRelay", name, cancellationToken);
        return DeleteOutcome.Deleted;
    }

    Task<IReadOnlyList<NodeReport>> INetworkDriver.ReportsAsync(string gateway, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<NodeReport>>([]);

    public async Task<Ensured<VolumeStatus>> EnsureVolumeAsync(VolumeSpec spec, CancellationToken cancellationToken)
    {
        await CallAsync("ensureVolume", spec.Name, cancellationToken);
        return new Ensured<VolumeStatus>(EnsureOutcome.Created, new VolumeStatus(spec.Name, spec.SizeMb, "127.0.0.1:3260", "iqn.test:" + spec.Name, 1));
    }

    public async Task<DeleteOutcome> DeleteVolumeAsync(string name, CancellationToken cancellationToken)
    {
        await CallAsync("deleteVolume", name, cancellationToken);
        return DeleteOutcome.Deleted;
    }

    public Task<IReadOnlyList<VolumeStatus>> ListVolumesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<VolumeStatus>>([]);

    public async Task<EnsureOutcome> EnsureImageAsync(string image, CancellationToken cancellationToken)
    {
        await CallAsync("ensureImage", image, cancellationToken);
        return EnsureOutcome.Created;
    }

    public async Task<EnsureOutcome> EnsureDiskAsync(DiskSpec spec, CancellationToken cancellationToken)
    {
        await CallAsync("ensureDisk", spec.Name, cancellationToken);
        return EnsureOutcome.Created;
    }

    public async Task<DeleteOutcome> DeleteDiskAsync(string name, CancellationToken cancellationToken)
    {
        await CallAsync("deleteDisk", name, cancellationToken);
        return DeleteOutcome.Deleted;
    }

    Task<ImageInventory> IImageDriver.ListAsync(CancellationToken cancellationToken) => Task.FromResult(new ImageInventory([], []));

    private async Task CallAsync(string kind, string target, CancellationToken cancellationToken)
    {
        var call = kind + " " + target;
        if (BeforeEach is { } hook)
        {
            await hook(call, cancellationToken);
        }

        _calls.Enqueue(call);
        if (ThrowOn.TryGetValue(target, out var exception))
        {
            throw exception;
        }

        if (FailOn.TryGetValue(target, out var terminal))
        {
            throw new DriverException($"{call} failed on {Facts.Name}", terminal);
        }
    }
}
