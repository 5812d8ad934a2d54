using Microsoft.Extensions.Logging.Abstractions;
using Vcm.Agent.Hosting;
using Vcm.Drivers;
using Vcm.Testing;
using Xunit;

namespace Vcm.Agent.Tests.Hosting;

public sealed class VpnPathSupervisorTests
{
    [Fact]
    public async Task SelectAll_OneHostFails_OthersAreStillAsked()
    {
        var failing = new FakePathHost("h1") { Fault = new DriverException("ip failed") };
        var healthy = new FakePathHost("h2");
        using var supervisor = new VpnPathSupervisor([failing, healthy], new ManualClock(), NullLogger<VpnPathSupervisor>.Instance);

        await supervisor.SelectAllAsync(CancellationToken.None);

        Assert.Equal(1, failing.Calls);
        Assert.Equal(1, healthy.Calls);
    }

    [Fact]
    public void Period_WellWithinTheFailoverGoal() =>
        Assert.True(VpnPathSupervisor.Period <= TimeSpan.FromMilliseconds(500), "a path lost is seen at the next round: the round must be short next to the 3 s goal");

    private sealed class FakePathHost(string name) : IVpnPathHost
    {
        public string HostName => name;

        public Exception? Fault { get; init; }

        public int Calls { get; private set; }

        public Task<IReadOnlyList<string>> SelectVpnPathsAsync(CancellationToken cancellationToken)
        {
            Calls++;
            return Fault is null ? Task.FromResult<IReadOnlyList<string>>(["VPN end vc-x-b: WAN path 1 bridged"]) : Task.FromException<IReadOnlyList<string>>(Fault);
        }
    }
}
