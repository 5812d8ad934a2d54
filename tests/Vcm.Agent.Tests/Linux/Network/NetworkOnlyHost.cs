using Vcm.Drivers;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Hosts;
using Vcm.Drivers.Images;
using Vcm.Drivers.Network;
using Vcm.Drivers.Storage;

namespace Vcm.Agent.Tests.Linux.Network;

/// <summary>A host with a real network driver and nothing else: its VMs, volumes and images are always none.</summary>
public sealed class NetworkOnlyHost(string name, INetworkDriver network) : IHostDrivers, IComputeDriver, IStorageDriver, IImageDriver
{
    public HostFacts Facts { get; } = new() { Name = name, Cpus = 1, MemoryMb = 1024, DiskMb = 1024, Roles = ["gateway"], Driver = "linux" };

    public IComputeDriver Compute => this;

    public INetworkDriver Network { get; } = network;

    public IStorageDriver Storage => this;

    public IImageDriver Images => this;

    public ComputeCapabilities Capabilities { get; } = new(false, false, false);

    public Task<Ensured<VmStatus>> EnsureVmAsync(VmSpec spec, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<DeleteOutcome> DeleteVmAsync(string name, CancellationToken cancellationToken) => Task.FromResult(DeleteOutcome.Absent);

    public Task<Ensured<IncomingVm>> PrepareIncomingAsync(VmSpec spec, string listenAddress, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<MigrationReport> MigrateVmAsync(string name, IncomingVm destination, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<VmStatus>> ListVmsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<VmStatus>>([]);

    public Task<string?> ConsoleAsync(string name, int maxBytes, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public Task<Ensured<VolumeStatus>> EnsureVolumeAsync(VolumeSpec spec, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<DeleteOutcome> DeleteVolumeAsync(string name, CancellationToken cancellationToken) => Task.FromResult(DeleteOutcome.Absent);

    public Task<IReadOnlyList<VolumeStatus>> ListVolumesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<VolumeStatus>>([]);

    public Task<EnsureOutcome> EnsureImageAsync(string image, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<EnsureOutcome> EnsureDiskAsync(DiskSpec spec, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<DeleteOutcome> DeleteDiskAsync(string name, CancellationToken cancellationToken) => Task.FromResult(DeleteOutcome.Absent);

    Task<ImageInventory> IImageDriver.ListAsync(CancellationToken cancellationToken) => Task.FromResult(new ImageInventory([], []));
}
