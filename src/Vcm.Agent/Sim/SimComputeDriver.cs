using Vcm.Drivers;
using Vcm.Drivers.Compute;

namespace Vcm.Agent.Sim;

internal sealed class SimComputeDriver(SimHost host) : IComputeDriver
{
    public ComputeCapabilities Capabilities { get; } = new(HardwareAcceleration: false, LiveMigration: true, IscsiVolumes: true);

    public Task<Ensured<VmStatus>> EnsureVmAsync(VmSpec spec, CancellationToken cancellationToken) =>
        host.ChangeAsync($"starting VM {spec.Name}", state =>
        {
            if (!state.Disks.ContainsKey(spec.Disk))
            {
                throw new DriverException($"disk {spec.Disk} of VM {spec.Name} does not exist on {host.Name}");
            }

            if (!state.Segments.ContainsKey(spec.Bridge))
            {
                throw new DriverException($"bridge {spec.Bridge} of VM {spec.Name} does not exist on {host.Name}");
            }

            if (state.Vms.TryGetValue(spec.Name, out var existing))
            {
                // a receiver is ensured only after its migration completed (the simulated source cannot tell it so)
                if (existing.State == VmState.Running)
                {
                    return new Ensured<VmStatus>(EnsureOutcome.Unchanged, existing);
                }

                if (existing.State == VmState.Incoming)
                {
                    var received = new VmStatus(spec.Name, VmState.Running, Usage: Simulated(spec));
                    state.Vms[spec.Name] = received;
                    return new Ensured<VmStatus>(EnsureOutcome.Updated, received);
                }

                var restarted = new VmStatus(spec.Name, VmState.Running, Usage: Simulated(spec));
                state.Vms[spec.Name] = restarted;
                return new Ensured<VmStatus>(EnsureOutcome.Updated, restarted);
            }

            var vm = new VmStatus(spec.Name, VmState.Running, Usage: Simulated(spec));
            state.Vms[spec.Name] = vm;
            state.VmDisks[spec.Name] = spec.Disk;
            state.VmCreations[spec.Name] = state.VmCreations.GetValueOrDefault(spec.Name) + 1;
            return new Ensured<VmStatus>(EnsureOutcome.Created, vm);
        }, cancellationToken);

    public Task<DeleteOutcome> DeleteVmAsync(string name, CancellationToken cancellationToken) =>
        host.ChangeAsync($"deleting VM {name}", state =>
        {
            state.VmDisks.Remove(name);
            return state.Vms.Remove(name) ? DeleteOutcome.Deleted : DeleteOutcome.Absent;
        }, cancellationToken);

    public Task<Ensured<IncomingVm>> PrepareIncomingAsync(VmSpec spec, string listenAddress, CancellationToken cancellationToken) =>
        host.ChangeAsync($"preparing VM {spec.Name} for an incoming migration", state =>
        {
            if (!state.Disks.ContainsKey(spec.Disk))
            {
                throw new DriverException($"disk {spec.Disk} of VM {spec.Name} does not exist on {host.Name}");
            }

            if (!state.Segments.ContainsKey(spec.Bridge))
            {
                throw new DriverException($"bridge {spec.Bridge} of VM {spec.Name} does not exist on {host.Name}");
            }

            var incoming = new IncomingVm(spec.Name, host.Name, $"tcp:{listenAddress}:49152", $"nbd:{listenAddress}:49153:exportname={spec.Disk}");
            if (state.Vms.TryGetValue(spec.Name, out var existing))
            {
                return existing.State == VmState.Incoming
                    ? new Ensured<IncomingVm>(EnsureOutcome.Unchanged, incoming)
                    : throw new DriverException($"VM {spec.Name} already exists on {host.Name} ({existing.State}): it cannot receive a migration", terminal: true);
            }

            state.Vms[spec.Name] = new VmStatus(spec.Name, VmState.Incoming);
            state.VmDisks[spec.Name] = spec.Disk;
            return new Ensured<IncomingVm>(EnsureOutcome.Created, incoming);
        }, cancellationToken);

    /// <summary>The simulated migration completes at once (the receiver runs when the manager ensures it).</summary>
    public Task<MigrationReport> MigrateVmAsync(string name, IncomingVm destination, CancellationToken cancellationToken) =>
        host.ChangeAsync($"migrating VM {name} to {destination.Host}", state =>
        {
            if (!state.Vms.TryGetValue(name, out var vm))
            {
                return new MigrationReport(MigrationOutcome.Failed, 0, 0, 0, 0, 0, $"VM {name} does not exist on {host.Name}");
            }

            if (vm.State is not (VmState.Running or VmState.Migrated))
            {
                return new MigrationReport(MigrationOutcome.Failed, 0, 0, 0, 0, 0, $"VM {name} on {host.Name} is {vm.State}, not running");
            }

            state.Vms[name] = vm with { State = VmState.Migrated, Usage = null };
            return new MigrationReport(MigrationOutcome.Completed, 0, 0, 0, 0, 0);
        }, report => report.Outcome == MigrationOutcome.Completed, cancellationToken);

    public Task<string?> ConsoleAsync(string name, int maxBytes, CancellationToken cancellationToken) =>
        Task.FromResult(host.Read(s => s.Vms.TryGetValue(name, out var vm) ? $"[simulated console of {name}: {vm.State}]\n" : null));

    /// <summary>A simulated VM uses no CPU time and holds all of its memory.</summary>
    private static VmUsage Simulated(VmSpec spec) => new(0, spec.MemoryMb * 1024 * 1024);

    public Task<IReadOnlyList<VmStatus>> ListVmsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<VmStatus>>(host.Read(s => s.Vms.Values.ToList()));
}
