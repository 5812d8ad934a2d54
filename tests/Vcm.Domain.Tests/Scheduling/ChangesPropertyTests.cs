using FsCheck;
using FsCheck.Fluent;
using Vcm.Domain.Clusters;
using Vcm.Domain.Scheduling;
using Xunit;
using static Vcm.Domain.Tests.Scheduling.SmallCalendars;

namespace Vcm.Domain.Tests.Scheduling;

/// <summary>
/// Extend and resize refuse exactly when the grown request would overcommit a host — checked on small random
/// calendars against a brute-force count of every minute. An extension refused names the latest end that fits (every
/// minute before it fits, the next does not); a grow refused names the most nodes that fit.
/// </summary>
public sealed class ChangesPropertyTests
{
    public sealed record ExtendCase(IReadOnlyList<RandomClaim> Others, int Cpus1, int Cpus2, int End, int More);

    public sealed record GrowCase(IReadOnlyList<RandomClaim> Others, int Cpus1, int Cpus2, int Start, int End, int From, int Nodes, int PerNode);

    private static readonly Gen<ExtendCase> ExtendCases =
        from others in Gen.Choose(0, 8).SelectMany(n => Gen.ListOf(Claims(120, 60, 4), n))
        from cpus1 in Gen.Choose(0, 4)
        from cpus2 in Gen.Choose(0, 4)
        from end in Gen.Choose(10, 90)
        from more in Gen.Choose(1, 60)
        select new ExtendCase(others.ToList(), cpus1, cpus2, end, more);

    private static readonly Gen<GrowCase> GrowCases =
        from others in Gen.Choose(0, 8).SelectMany(n => Gen.ListOf(Claims(120, 60, 4), n))
        from cpus1 in Gen.Choose(0, 3)
        from cpus2 in Gen.Choose(0, 3)
        from start in Gen.Choose(0, 40)
        from length in Gen.Choose(5, 80)
        from from_ in Gen.Choose(0, start + length - 1)
        from nodes in Gen.Choose(1, 6)
        from perNode in Gen.Choose(1, 3)
        select new GrowCase(others.ToList(), cpus1, cpus2, start, start + length, from_, nodes, perNode);

    [Fact]
    public void Extend_FitsExactlyWhenNoMinuteOfTheLongerWindowOvercommits_ElseNamesTheLatestEndThatFits()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(Arb.From(ExtendCases), c => RunExtend(c)));
    }

    [Fact]
    public void Grow_FitsExactlyWhenTheNewNodesFitEveryMinuteOfTheRestOfTheWindow_ElseNamesTheMostThatFit()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(Arb.From(GrowCases), c => RunGrow(c)));
    }

    private static bool RunExtend(ExtendCase c)
    {
        var end = T0.AddMinutes(c.End);
        var own = new[] { ("h1", c.Cpus1), ("h2", c.Cpus2) }.Where(x => x.Item2 > 0)
            .Select(x => new Claim("me", x.Item1, T0, end, new Resources(x.Item2, 0, 0))).ToList();
        var calendar = Calendar(c.Others);
        foreach (var claim in own)
        {
            calendar.Add(claim);
        }

        var newEnd = end.AddMinutes(c.More);
        var decision = Changes.Extend(own, end, newEnd, TwoHosts, calendar);

        // brute force: the minutes from the old end on that fit, one by one
        var fitting = 0;
        while (fitting < c.More && MinuteFits(calendar, own, c.End + fitting))
        {
            fitting++;
        }

        Assert.Equal(fitting == c.More, decision.Fits);
        Assert.Equal(end.AddMinutes(fitting), decision.LatestEnd);
        return true;
    }

    /// <summary>Every host the cluster holds has room at that minute for what it holds (other hosts are not the extension's business).</summary>
    private static bool MinuteFits(ClaimCalendar calendar, IReadOnlyList<Claim> own, int minute) =>
        TwoHosts.Where(h => own.Any(o => o.HostId == h.HostId)).All(h => Used(calendar, h.HostId, minute) + own.Where(o => o.HostId == h.HostId).Sum(o => o.Amount.Cpus) <= h.Capacity.Cpus);

    private static long Used(ClaimCalendar calendar, string host, int minute)
    {
        var at = T0.AddMinutes(minute);
        return calendar.ClaimsOn(host).Where(k => k.Start <= at && k.End > at).Sum(k => k.Amount.Cpus);
    }

    private static bool RunGrow(GrowCase c)
    {
        var start = T0.AddMinutes(c.Start);
        var end = T0.AddMinutes(c.End);
        var calendar = Calendar(c.Others);
        foreach (var (host, cpus) in new[] { ("h1", c.Cpus1), ("h2", c.Cpus2) }.Where(x => x.Item2 > 0))
        {
            calendar.Add(new Claim("me", host, start, end, new Resources(cpus, 0, 0)));
        }

        var (from, until) = Changes.RestOf(start, end, T0.AddMinutes(c.From));
        var added = Changes.NewWorkers(2, 2 + c.Nodes, head: true);
        var request = new PlacementRequest(added, new Resources(c.PerNode, 0, 0), 0, from, until, PlacementPolicy.Pack, []);
        var decision = Changes.Grow("me", request, TwoHosts, calendar);

        // brute force: on each host, as many nodes as fit in its tightest minute of the rest of the window
        var minutes = Enumerable.Range((int)(from - T0).TotalMinutes, (int)(until - from).TotalMinutes).ToList();
        var most = TwoHosts.Sum(h => minutes.Select(m => Math.Max(0, h.Capacity.Cpus - Used(calendar, h.HostId, m)) / c.PerNode).DefaultIfEmpty(long.MaxValue / 4).Min());
        Assert.Equal(most >= c.Nodes, decision.Fits);
        Assert.Equal(Math.Min(most, c.Nodes), decision.LargestFit);
        Assert.Equal(("node-03", 3), (added[0].Name, added[0].Index));
        if (decision.Placement is { } placement)
        {
            foreach (var claim in placement.Claims)
            {
                Assert.Equal((from, until), (claim.Start, claim.End));
                calendar.Add(claim);
            }

            foreach (var host in placement.Claims.Select(k => TwoHosts.Single(h => h.HostId == k.HostId)))
            {
                Assert.All(minutes, m => Assert.True(Used(calendar, host.HostId, m) <= host.Capacity.Cpus, $"{host.Name} overcommitted at minute {m}"));
            }
        }

        return true;
    }
}
