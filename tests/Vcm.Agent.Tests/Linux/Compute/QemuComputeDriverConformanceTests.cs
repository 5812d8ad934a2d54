using Vcm.Agent.Tests.Conformance;
using Vcm.Drivers.Hosts;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Compute;

/// <summary>The compute driver conformance suite against QEMU in a throwaway namespace, booting the test guest.</summary>
[Collection(LinuxHostCollection.Name)]
[RequiresLinuxHost]
public sealed class QemuComputeDriverConformanceTests(TestGuest guest) : ComputeDriverConformance
{
    private LinuxTestHost? _host;

    protected override string ImageName => TestGuest.ImageName;

    protected override async Task<IHostDrivers> CreateHostAsync()
    {
        _host = await LinuxTestHost.CreateAsync(await guest.StoreAsync(), guest.Probe);
        return _host;
    }

    protected override async Task DisposeHostAsync(IHostDrivers host)
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    protected override Task StopVmOutsideDriverAsync(IHostDrivers host, string name) => ((LinuxTestHost)host).KillVmAsync(name);
}
