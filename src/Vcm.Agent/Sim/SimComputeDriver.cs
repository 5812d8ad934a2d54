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
                if (existing.State == VmState.Running)
                {
                    return new Ensured<VmStatus>(EnsureOutcome.Unchanged, existing);
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

    public Task<string?> ConsoleAsync(string name, int maxBytes, CancellationToken cancellationToken) =>
        Task.FromResult(host.Read(s => s.Vms.TryGetValue(name, out var vm) ? $"[simulated console of {name}: {vm.State}]\n" : null));

    /// <summary>A simulated VM uses no CPU time and holds all of its memory.</summary>
    private static VmUsage Simulated(VmSpec spec) => new(0, spec.MemoryMb * 1024 * 1024);

    public Task<IReadOnlyList<VmStatus>> ListVmsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<VmStatus>>(host.Read(s => s.Vms.Values.ToList()));
}
