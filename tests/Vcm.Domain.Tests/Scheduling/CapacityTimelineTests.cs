using FsCheck;
using FsCheck.Fluent;
using Vcm.Domain.Scheduling;
using Xunit;
using static Vcm.Domain.Tests.Scheduling.SmallCalendars;

namespace Vcm.Domain.Tests.Scheduling;

/// <summary>
/// The site's free capacity over time: each step shows what stays free for the whole step (capacity less each host's
/// peak use in it), and how many nodes of a shape fit, each on one host — checked by example and, on random
/// calendars, against a minute-by-minute count.
/// </summary>
public sealed class CapacityTimelineTests
{
    [Fact]
    public void AClaimShowsInTheStepsItTouches_AndNodesOfAShapeCountPerHost()
    {
        var calendar = new ClaimCalendar([new Claim("c1", "h1", T0.AddHours(10), T0.AddHours(11.5), new Resources(3, 1024, 0))]);

        var steps = CapacityTimeline.Of(TwoHosts, calendar, T0.AddHours(9), T0.AddHours(13), TimeSpan.FromHours(1), new Resources(2, 2048, 0));

        Assert.Equal([9, 10, 11, 12], steps.Select(s => s.Start.Hour));
        Assert.Equal([8L, 5, 5, 8], steps.Select(s => s.Free.Cpus));
        Assert.Equal([16_384L, 15_360, 15_360, 16_384], steps.Select(s => s.Free.MemoryMb));

        // 1 cpu left on host-1 holds no 2-cpu node: 2 + 0, not 5 / 2
        Assert.Equal([4L, 2, 2, 4], steps.Select(s => s.Nodes!.Value));
    }

    [Fact]
    public void TheLastStepEndsAtTheEnd_AndNoShapeMeansNoNodeCount()
    {
        var steps = CapacityTimeline.Of(TwoHosts, ClaimCalendar.Empty, T0, T0.AddMinutes(150), TimeSpan.FromHours(1), null);

        Assert.Equal([T0.AddHours(1), T0.AddHours(2), T0.AddMinutes(150)], steps.Select(s => s.End));
        Assert.All(steps, s => Assert.Null(s.Nodes));
    }

    [Fact]
    public void OnRandomCalendars_EachStepIsCapacityLessThePeakOfEveryMinute()
    {
        var claimGen = Claims(240, 120, 2);
        var property = Prop.ForAll(
            Arb.From(Gen.ListOf(claimGen)), Arb.From(Gen.Choose(1, 90)),
            (claims, stepMinutes) => Check(claims.ToList(), stepMinutes));
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), property);
    }

    private static bool Check(IReadOnlyList<RandomClaim> claims, int stepMinutes)
    {
        var calendar = Calendar(claims);
        var steps = CapacityTimeline.Of(TwoHosts, calendar, T0, T0.AddMinutes(300), TimeSpan.FromMinutes(stepMinutes), null);
        foreach (var step in steps)
        {
            long expected = 0;
            foreach (var host in TwoHosts)
            {
                var peak = 0L;
                for (var m = (int)(step.Start - T0).TotalMinutes; m < (int)(step.End - T0).TotalMinutes; m++)
                {
                    var used = claims.Where(c => $"h{c.Host}" == host.HostId && c.StartMinute <= m && m < c.StartMinute + c.Minutes).Sum(c => (long)c.Cpus);
                    peak = Math.Max(peak, used);
                }

                expected += Math.Max(0, host.Capacity.Cpus - peak);
            }

            Assert.Equal(expected, step.Free.Cpus);
        }

        return true;
    }
}
