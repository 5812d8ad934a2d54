namespace Vcm.Drivers.Compute;

/// <summary>Runs VMs on one host.</summary>
/// <remarks>
/// Contract: every method is idempotent and keyed by name. <see cref="EnsureVmAsync"/> starts the VM when it is
/// absent or stopped and leaves a running one alone; if it fails, no partial VM is left behind (a later delete
/// still removes whatever was made). <see cref="DeleteVmAsync"/> stops and removes the VM and reports
/// <see cref="DeleteOutcome.Absent"/> when there is none. Drivers never touch objects whose names they did not make.
/// <para>
/// Live migration: the destination host's <see cref="PrepareIncomingAsync"/> starts the VM as a receiver (its disk
/// made beforehand by the image driver, empty over the same image); the source host's <see cref="MigrateVmAsync"/>
/// copies the disk and the memory there and switches over. Both are idempotent: a second prepare answers the same
/// receiver; a second migrate of a VM already migrating to that receiver waits for it, and of one already migrated
/// reports the completed migration again. <see cref="EnsureVmAsync"/> on the destination after a completed migration
/// leaves the running VM alone and makes it an ordinary VM of the host; on a receiver whose migration did not
/// complete it fails (never a second copy of the guest). Deleting either end is <see cref="DeleteVmAsync"/>.
/// </para>
/// </remarks>
public interface IComputeDriver
{
    ComputeCapabilities Capabilities { get; }

    Task<Ensured<VmStatus>> EnsureVmAsync(VmSpec spec, CancellationToken cancellationToken);

    Task<DeleteOutcome> DeleteVmAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<VmStatus>> ListVmsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Starts <paramref name="spec"/> as the receiving end of a live migration, listening on
    /// <paramref name="listenAddress"/> (this host's address the source can reach); an existing receiver is answered again.
    /// </summary>
    Task<Ensured<IncomingVm>> PrepareIncomingAsync(VmSpec spec, string listenAddress, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the running VM <paramref name="name"/> to <paramref name="destination"/>: its disk, then its memory, then
    /// the switch-over. Returns when it ended; a failed migration leaves the VM running here.
    /// </summary>
    Task<MigrationReport> MigrateVmAsync(string name, IncomingVm destination, CancellationToken cancellationToken);

    /// <summary>The last <paramref name="maxBytes"/> of the VM's serial console log, or null when there is no such VM.</summary>
    Task<string?> ConsoleAsync(string name, int maxBytes, CancellationToken cancellationToken);
}
