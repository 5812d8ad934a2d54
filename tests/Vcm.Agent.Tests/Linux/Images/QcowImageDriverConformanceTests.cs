using Vcm.Agent.Tests.Conformance;
using Vcm.Drivers.Hosts;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Images;

/// <summary>The image driver conformance suite against qcow2 disks, copying the test guest from a folder store.</summary>
[Collection(LinuxHostCollection.Name)]
[RequiresLinuxHost]
public sealed class QcowImageDriverConformanceTests(TestGuest guest) : ImageDriverConformance
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
}
