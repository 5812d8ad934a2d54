using Vcm.Drivers;
using Vcm.Drivers.Images;

namespace Vcm.Agent.Sim;

internal sealed class SimImageDriver(SimHost host) : IImageDriver
{
    public Task<EnsureOutcome> EnsureImageAsync(string image, CancellationToken cancellationToken) =>
        host.ChangeAsync($"fetching image {image}", state =>
        {
            if (!SimHost.KnownImages.Contains(LayerNames.ImageOf(image)))
            {
                throw new DriverException($"image {image} is not in the site's image store", terminal: true);
            }

            return state.Images.Add(image) ? EnsureOutcome.Created : EnsureOutcome.Unchanged;
        }, cancellationToken);

    public Task<EnsureOutcome> EnsureDiskAsync(DiskSpec spec, CancellationToken cancellationToken) =>
        host.ChangeAsync($"making disk {spec.Name}", state =>
        {
            if (!state.Images.Contains(spec.Image))
            {
                throw new DriverException($"image {spec.Image} for disk {spec.Name} is not on {host.Name}");
            }

            if (state.Disks.ContainsKey(spec.Name))
            {
                return EnsureOutcome.Unchanged;
            }

            state.Disks[spec.Name] = spec.Image;
            return EnsureOutcome.Created;
        }, cancellationToken);

    public Task<DeleteOutcome> DeleteDiskAsync(string name, CancellationToken cancellationToken) =>
        host.ChangeAsync($"deleting disk {name}", state =>
        {
            if (state.VmDisks.ContainsValue(name))
            {
                throw new DriverException($"disk {name} is still used by a VM on {host.Name}");
            }

            return state.Disks.Remove(name) ? DeleteOutcome.Deleted : DeleteOutcome.Absent;
        }, cancellationToken);

    public Task<ImageInventory> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult(host.Read(s => new ImageInventory(s.Images.ToList(), s.Disks.Keys.ToList())));
}
