using FsCheck;
using FsCheck.Fluent;
using Vcm.Domain.Clusters;
using Vcm.Domain.Scheduling;
using Xunit;
using static Vcm.Domain.Tests.Scheduling.SmallCalendars;

namespace Vcm.Domain.Tests.Scheduling;

/// <summary>
/// The windows where a request fits: on random small calendars, a start is inside a listed window exactly when the
/// scheduler plans the request at that start (checked at every minute of the range).
/// </summary>
public sealed class FitWindowsTests
{
    [Fact]
    public void ABusyHourSplitsTheRange_IntoTheStartsBeforeAndAfterIt()
    {
        // both hosts full from 02:00 to 03:00: a 60-minute request fits for starts up to 01:00 and from 03:00
        var calendar = new ClaimCalendar(TwoHosts.Select(h => new Claim("busy", h.HostId, T0.AddHours(2), T0.AddHours(3), h.Capacity)));

        var windows = FitWindows.Of(Request(nodes: 2, cpus: 2, minutes: 60), TwoHosts, calendar, T0, T0.AddHours(5));

        Assert.Equal([new FitWindow(T0, T0.AddHours(1)), new FitWindow(T0.AddHours(3), T0.AddHours(5))], windows);
    }

    [Fact]
    public void OnRandomCalendars_AStartIsInAWindow_ExactlyWhenTheRequestFitsThere()
    {
        var claimGen = Claims(180, 90, 4);
        var property = Prop.ForAll(
            Arb.From(Gen.ListOf(claimGen).Select(l => l.Take(8).ToList())), Arb.From(Gen.Choose(1, 4)), Arb.From(Gen.Choose(1, 120)),
            (claims, cpus, minutes) => Check(claims, cpus, minutes));
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(150), property);
    }

    private static bool Check(IReadOnlyList<RandomClaim> claims, int cpus, int minutes)
    {
        var calendar = Calendar(claims);
        var request = Request(nodes: 2, cpus, minutes);
        var windows = FitWindows.Of(request, TwoHosts, calendar, T0, T0.AddMinutes(240));
        for (var m = 0; m <= 240; m++)
        {
            var start = T0.AddMinutes(m);
            var fits = Scheduler.Plan("probe", request.At(start), TwoHosts, calendar).Placement is not null;
            var listed = windows.Any(w => w.First <= start && start <= w.Last);
            Assert.True(fits == listed, $"at minute {m}: fits {fits}, listed {listed}; windows {string.Join(", ", windows)}");
        }

        return true;
    }

    private static PlacementRequest Request(int nodes, int cpus, int minutes) => new(
        NodeName.For(nodes - 1, true), new Resources(cpus, 0, 0), 0, T0, T0.AddMinutes(minutes), PlacementPolicy.Spread, []);
}
