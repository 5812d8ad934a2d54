using System.Net;
using Vcm.Manager.Auth;
using Vcm.Testing;
using Xunit;

namespace Vcm.Manager.Tests.Tenancy;

public sealed class FailedSignInsTests
{
    [Fact]
    public void PastTheLimit_AddressWaitsUntilItsOldestFailureLeavesTheMinute_OthersUnaffected()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
        var failures = new FailedSignIns(clock, limit: 3);
        var guesser = IPAddress.Parse("192.0.2.7");

        failures.Record(guesser);
        clock.Advance(TimeSpan.FromSeconds(10));
        failures.Record(guesser);
        Assert.Null(failures.RetryAfter(guesser));
        failures.Record(guesser);

        Assert.Equal(TimeSpan.FromSeconds(50), failures.RetryAfter(guesser));
        Assert.Null(failures.RetryAfter(IPAddress.Parse("192.0.2.8")));
        clock.Advance(TimeSpan.FromSeconds(50));
        Assert.Null(failures.RetryAfter(guesser));
    }
}
