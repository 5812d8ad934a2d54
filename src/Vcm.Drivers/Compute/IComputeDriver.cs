namespace Vcm.Drivers.Compute;

/// <summary>Runs VMs on one host.</summary>
/// <remarks>
/// Contract: every method is idempotent and keyed by name. <see cref="EnsureVmAsync"/> starts the VM when it is
/// absent or stopped and leaves a running one alone; if it fails, no partial VM is left behind (a later delete
/// still removes whatever was made). <see cref="DeleteVmAsync"/> stops and removes the VM and reports
/// <see cref="DeleteOutcome.Absent"/> when there is none. Drivers never touch objects whose names they did not make.
/// </remarks>
public interface IComputeDriver
{
    ComputeCapabilities Capabilities { get; }

    Task<Ensured<VmStatus>> EnsureVmAsync(VmSpec spec, CancellationToken cancellationToken);

    Task<DeleteOutcome> DeleteVmAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<VmStatus>> ListVmsAsync(CancellationToken cancellationToken);

    /// <summary>The last <paramref name="maxBytes"/> of the VM's serial console log, or null when there is no such VM.</summary>
    Task<string?> ConsoleAsync(string name, int maxBytes, CancellationToken cancellationToken);
}
