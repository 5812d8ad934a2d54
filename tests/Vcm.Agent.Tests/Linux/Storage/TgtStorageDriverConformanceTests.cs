using Vcm.Agent.Tests.Conformance;
using Vcm.Drivers.Hosts;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Storage;

/// <summary>The storage driver conformance suite against a tgtd of its own in a throwaway namespace.</summary>
[Collection(LinuxHostCollection.Name)]
[RequiresLinuxHost]
public sealed class TgtStorageDriverConformanceTests(TestGuest guest) : StorageDriverConformance
{
    private LinuxTestHost? _host;

    protected override async Task<IHostDrivers> CreateHostAsync()
    {
        _host = await LinuxTestHost.CreateAsync(guest.Store, guest.Probe);
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
