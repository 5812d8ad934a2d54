using Microsoft.Extensions.Logging.Abstractions;
using Vcm.Agent.Hosting;
using Vcm.Drivers;
using Vcm.Testing;
using Xunit;

namespace Vcm.Agent.Tests.Hosting;

public sealed class DaemonSupervisorTests
{
    [Fact]
    public async Task ReviveAll_OneHostFails_OthersAreStillAsked()
    {
        var failing = new FakeSupervisedHost("h1") { Fault = new DriverException("openvpn would not start") };
        var healthy = new FakeSupervisedHost("h2");
        var supervisor = new DaemonSupervisor([failing, healthy], new ManualClock(), NullLogger<DaemonSupervisor>.Instance);

        await supervisor.ReviveAllAsync(CancellationToken.None);

        Assert.Equal(1, failing.Calls);
        Assert.Equal(1, healthy.Calls);
    }

    [Fact]
    public async Task Run_EachPeriod_AsksEveryHostOnceAndNotBefore()
    {
        var clock = new ManualClock();
        var host = new FakeSupervisedHost("h1");
        using var supervisor = new DaemonSupervisor([host], clock, NullLogger<DaemonSupervisor>.Instance);
        await supervisor.StartAsync(CancellationToken.None);
        try
        {
            Assert.True(await WaitingAsync(clock), "the supervisor never waits for its period");
            clock.Advance(DaemonSupervisor.Period - TimeSpan.FromMilliseconds(1));
            Assert.Equal(0, host.Calls);

            clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.True(await host.CalledAsync(1), "not asked after one period");
            Assert.True(await WaitingAsync(clock), "the supervisor does not wait for its next period");
            clock.Advance(DaemonSupervisor.Period);
            Assert.True(await host.CalledAsync(2), "not asked after two periods");
        }
        finally
        {
            await supervisor.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>True once the supervisor's loop has armed its delay on the clock (it runs on another thread).</summary>
    private static async Task<bool> WaitingAsync(ManualClock clock)
    {
        for (var i = 0; i < 200 && clock.PendingTimers == 0; i++)
        {
            await Task.Delay(10);
        }

        return clock.PendingTimers == 1;
    }

    private sealed class FakeSupervisedHost(string name) : ISupervisedHost
    {
        private int _calls;

        public string HostName => name;

        public Exception? Fault { get; init; }

        public int Calls => Volatile.Read(ref _calls);

        public Task<IReadOnlyList<string>> ReviveAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Fault is null ? Task.FromResult<IReadOnlyList<string>>(["openvpn of VPN end vc-x-vpn"]) : Task.FromException<IReadOnlyList<string>>(Fault);
        }

        public async Task<bool> CalledAsync(int times)
        {
            for (var i = 0; i < 100 && Calls < times; i++)
            {
                await Task.Delay(10);
            }

            return Calls == times;
        }
    }
}
