using Vcm.Agent.Linux.Network;
using Vcm.Agent.Tests.Conformance;
using Vcm.Drivers.Hosts;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Network;

/// <summary>The network driver conformance suite against the Linux driver, with a namespace as the host.</summary>
[RequiresNetworkAdmin]
public sealed class LinuxNetworkDriverConformanceTests(LinuxNetworkHostFixture host) : NetworkDriverConformance, IClassFixture<LinuxNetworkHostFixture>
{
    private LinuxNetworkDriver? _driver;

    /// <summary>A VPN end binds its local address: loopback is the address this host namespace has.</summary>
    protected override IReadOnlyList<string> VpnAddresses => ["127.0.0.1", "127.0.0.2"];

    protected override Task<IHostDrivers> CreateHostAsync()
    {
        _driver = new LinuxNetworkDriver(host.Context);
        return Task.FromResult<IHostDrivers>(new NetworkOnlyHost(host.HostNs, _driver));
    }

    protected override Task DisposeHostAsync(IHostDrivers host)
    {
        _driver?.Dispose();
        return Task.CompletedTask;
    }
}
