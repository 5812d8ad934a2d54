using Vcm.Drivers;
using Vcm.Drivers.Hosts;

namespace Vcm.Agent.Execution;

/// <summary>
/// Removes everything vcm made on a host through its drivers' own deletes, in dependency order — VMs, disks, migration
/// relay ends, VPN ends, gateways, segments, volumes — trying each one: `vcm agent --teardown`, and a dead host's wipe before it takes
/// work again (<see cref="Vcm.Drivers.Rpc.WipeHostStep"/>).
/// </summary>
public static class HostWipe
{
    /// <returns>How many things were removed, and a line for each that could not be.</returns>
    public static async Task<(int Removed, IReadOnlyList<string> Problems)> RunAsync(IHostDrivers host, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var removed = 0;
        async Task Try(string what, Func<Task<DeleteOutcome>> action)
        {
            try
            {
                removed += await action() == DeleteOutcome.Deleted ? 1 : 0;
            }
            catch (Exception e) when (e is DriverException or IOException or Vcm.Drivers.Processes.ProcessFailedException or TimeoutException)
            {
                problems.Add($"{what}: {e.Message}");
            }
        }

        foreach (var vm in await host.Compute.ListVmsAsync(cancellationToken))
        {
            await Try($"VM {vm.Name}", () => host.Compute.DeleteVmAsync(vm.Name, cancellationToken));
        }

        foreach (var disk in (await host.Images.ListAsync(cancellationToken)).Disks)
        {
            await Try($"disk {disk}", () => host.Images.DeleteDiskAsync(disk, cancellationToken));
        }

        var network = await host.Network.ListAsync(cancellationToken);
        foreach (var relay in network.Relays)
        {
            await Try($"migration relay end {relay}", () => host.Network.DeleteMigrationRelayAsync(relay, cancellationToken));
        }

        foreach (var vpn in network.Vpns)
        {
            await Try($"VPN end {vpn}", () => host.Network.DeleteVpnAsync(vpn, cancellationToken));
        }

        foreach (var gateway in network.Gateways)
        {
            await Try($"gateway {gateway}", () => host.Network.DeleteGatewayAsync(gateway, cancellationToken));
        }

        foreach (var segment in network.Segments)
        {
            await Try($"segment {segment}", () => host.Network.DeleteSegmentAsync(segment, cancellationToken));
        }

        foreach (var volume in await host.Storage.ListVolumesAsync(cancellationToken))
        {
            await Try($"volume {volume.Name}", () => host.Storage.DeleteVolumeAsync(volume.Name, cancellationToken));
        }

        return (removed, problems);
    }
}
