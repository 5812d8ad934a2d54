using Vcm.Drivers;
using Vcm.Drivers.Storage;

namespace Vcm.Agent.Sim;

internal sealed class SimStorageDriver(SimHost host) : IStorageDriver
{
    public Task<Ensured<VolumeStatus>> EnsureVolumeAsync(VolumeSpec spec, CancellationToken cancellationToken) =>
        host.ChangeAsync($"exporting volume {spec.Name}", state =>
        {
            var initiators = spec.Initiators.Order(StringComparer.Ordinal).ToList();
            if (state.Volumes.TryGetValue(spec.Name, out var existing))
            {
                // The ACL follows the spec exactly; the volume itself is never shrunk or wiped.
                if (state.VolumeInitiators.GetValueOrDefault(spec.Name, []).SequenceEqual(initiators))
                {
                    return new Ensured<VolumeStatus>(EnsureOutcome.Unchanged, existing);
                }

                state.VolumeInitiators[spec.Name] = initiators;
                return new Ensured<VolumeStatus>(EnsureOutcome.Updated, existing);
            }

            var volume = new VolumeStatus(spec.Name, spec.SizeMb, host.Facts.Address + ":3260", $"iqn.2026-11.vcm:{spec.Name}", 1);
            state.Volumes[spec.Name] = volume;
            state.VolumeInitiators[spec.Name] = initiators;
            return new Ensured<VolumeStatus>(EnsureOutcome.Created, volume);
        }, cancellationToken);

    public Task<DeleteOutcome> DeleteVolumeAsync(string name, CancellationToken cancellationToken) =>
        host.ChangeAsync($"deleting volume {name}", state =>
        {
            state.VolumeInitiators.Remove(name);
            return state.Volumes.Remove(name) ? DeleteOutcome.Deleted : DeleteOutcome.Absent;
        }, cancellationToken);

    public Task<IReadOnlyList<VolumeStatus>> ListVolumesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<VolumeStatus>>(host.Read(s => s.Volumes.Values.ToList()));
}
