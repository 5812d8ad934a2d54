using Microsoft.Extensions.Logging;
using Vcm.Agent.Execution;
using Vcm.Agent.Hosting;
using Vcm.Agent.Linux.Compute;
using Vcm.Agent.Linux.Images;
using Vcm.Agent.Linux.Network;
using Vcm.Agent.Linux.Storage;
using Vcm.Drivers;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Hosts;
using Vcm.Drivers.Images;
using Vcm.Drivers.Network;
using Vcm.Drivers.Storage;

namespace Vcm.Agent.Linux;

/// <summary>This machine (or a lab namespace) as a host: QEMU VMs, Linux bridges/VXLAN/gateways, tgt iSCSI, qcow2 disks.</summary>
public sealed class LinuxHost : IHostDrivers, ISupervisedHost, IVpnPathHost, IDisposable
{
    private readonly LinuxNetworkDriver _network;
    private readonly TgtStorageDriver _storage;

    public LinuxHost(LinuxHostContext context, HostFacts facts, ILoggerFactory? logging = null)
    {
        Context = context;
        Facts = facts;
        Probe = KvmProbe.ForHost(context, logging?.CreateLogger<KvmProbe>());
        // The micro guest keeps nothing on its disk and ignores ACPI, so a deleted VM is not given time to power off.
        Compute = new QemuComputeDriver(context, Probe, new QemuComputeOptions { PowerdownGrace = TimeSpan.Zero }, logging?.CreateLogger<QemuComputeDriver>());
        _network = new LinuxNetworkDriver(context, logging?.CreateLogger<LinuxNetworkDriver>());
        _storage = new TgtStorageDriver(context, logging?.CreateLogger<TgtStorageDriver>());
        Images = new QcowImageDriver(context, logger: logging?.CreateLogger<QcowImageDriver>());
        Packages = context.PackageSource is { } source ? new Packages.PackageMirror(context.Paths.Packages, source, context.Clock) : null;
    }

    /// <summary>The host's copy of the site's package repository, served to its gateways on <see cref="HostPaths.PackageSocket"/>; null: none.</summary>
    public Packages.PackageMirror? Packages { get; }

    public LinuxHostContext Context { get; }

    public KvmProbe Probe { get; }

    public HostFacts Facts { get; }

    public IComputeDriver Compute { get; }

    public INetworkDriver Network => _network;

    public IStorageDriver Storage => _storage;

    public IImageDriver Images { get; }

    public string HostName => Facts.Name;

    /// <summary>Restarts the openvpn of any VPN end whose process died (see <see cref="LinuxNetworkDriver.ReviveVpnsAsync"/>).</summary>
    public async Task<IReadOnlyList<string>> ReviveAsync(CancellationToken cancellationToken) =>
        (await _network.ReviveVpnsAsync(cancellationToken)).Select(v => $"openvpn of VPN end {v}").ToList();

    /// <summary>Keeps each VPN end of several WAN paths on one working path (see <see cref="LinuxNetworkDriver.SelectVpnPathsAsync"/>).</summary>
    public Task<IReadOnlyList<string>> SelectVpnPathsAsync(CancellationToken cancellationToken) => _network.SelectVpnPathsAsync(cancellationToken);

    /// <summary>Removes everything vcm made on this host — VMs, disks, VPN ends, gateways, segments, volumes, tgtd — through the drivers' own deletes.</summary>
    public async Task<IReadOnlyList<string>> TeardownAsync(CancellationToken cancellationToken)
    {
        var (_, problems) = await HostWipe.RunAsync(this, cancellationToken);
        var all = problems.ToList();
        try
        {
            await _storage.StopAsync(cancellationToken);
        }
        catch (Exception e) when (e is DriverException or IOException or Vcm.Drivers.Processes.ProcessFailedException or TimeoutException)
        {
            all.Add($"tgtd: {e.Message}");
        }

        return all;
    }

    public void Dispose() => _network.Dispose();
}
