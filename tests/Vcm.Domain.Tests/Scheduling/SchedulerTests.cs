using Vcm.Domain.Clusters;
using Vcm.Domain.Scheduling;
using Xunit;

namespace Vcm.Domain.Tests.Scheduling;

public sealed class SchedulerTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Resources Node = new(2, 2048, 10_240);

    private static List<HostCapacity> Hosts(int count, int cpus = 8) => Enumerable.Range(1, count)
        .Select(i => new HostCapacity($"h{i}", $"host-{i}", "a", new Resources(cpus, 16_384, 1_000_000), i == 1 ? HostRoles.All : HostRoles.Compute))
        .ToList();

    private static PlacementRequest Request(int nodes, int startHour, int hours, PlacementPolicy policy = PlacementPolicy.Pack, long sharedMb = 0) => new(
        NodeName.For(nodes - 1, head: true), Node, sharedMb, T0.AddHours(startHour), T0.AddHours(startHour + hours), policy, []);

    [Fact]
    public void Pack_FillsOneHostBeforeTheNext()
    {
        var plan = Scheduler.Plan("c", Request(5, 0, 1), Hosts(3), ClaimCalendar.Empty).Placement!;
        Assert.Equal(2, plan.NodeHosts.Values.Distinct().Count());
        Assert.Equal(4, plan.NodeHosts.Values.GroupBy(h => h).Max(g => g.Count()));
    }

    [Fact]
    public void Spread_UsesEveryHost()
    {
        var plan = Scheduler.Plan("c", Request(6, 0, 1, PlacementPolicy.Spread), Hosts(3), ClaimCalendar.Empty).Placement!;
        Assert.All(plan.NodeHosts.Values.GroupBy(h => h), g => Assert.Equal(2, g.Count()));
    }

    [Fact]
    public void Claims_SumPerHostAndCoverTheWindow()
    {
        var request = Request(5, 2, 3, sharedMb: 4096);
        var plan = Scheduler.Plan("c", request, Hosts(3), ClaimCalendar.Empty).Placement!;
        Assert.All(plan.Claims, c => Assert.Equal((request.Start, request.End), (c.Start, c.End)));
        Assert.Equal(5 * Node.Cpus, plan.Claims.Sum(c => c.Amount.Cpus));
        Assert.Equal(5 * Node.DiskMb + 4096, plan.Claims.Sum(c => c.Amount.DiskMb));
        Assert.Equal("h1", plan.StorageHostId);
        Assert.Equal("h1", plan.GatewayHostId);
    }

    [Fact]
    public void FullWindow_Refused_WithEarliestStartWhenTheBlockerEnds()
    {
        var hosts = Hosts(2);
        var calendar = new ClaimCalendar([]);
        var first = Scheduler.Admit("a", Request(8, 0, 10), hosts, calendar);
        Assert.True(first.Admitted);
        foreach (var claim in first.Placement!.Claims)
        {
            calendar.Add(claim);
        }

        var second = Scheduler.Admit("b", Request(2, 5, 2), hosts, calendar);

        Assert.False(second.Admitted);
        Assert.Equal(T0.AddHours(10), second.EarliestStart);
        Assert.Contains("only 0 of the 2 nodes", second.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void NonOverlappingWindows_BothFitOnTheSameHosts()
    {
        var hosts = Hosts(2);
        var calendar = new ClaimCalendar([]);
        var first = Scheduler.Admit("a", Request(8, 0, 10), hosts, calendar);
        foreach (var claim in first.Placement!.Claims)
        {
            calendar.Add(claim);
        }

        var second = Scheduler.Admit("b", Request(8, 10, 10), hosts, calendar);

        Assert.True(second.Admitted, second.Reason);
        Assert.Equal(first.Placement.NodeHosts.Values.Order(), second.Placement!.NodeHosts.Values.Order());
    }

    [Fact]
    public void LargerThanTheSite_NeverFits()
    {
        var decision = Scheduler.Admit("c", Request(100, 0, 1), Hosts(2), ClaimCalendar.Empty);
        Assert.False(decision.Admitted);
        Assert.Null(decision.EarliestStart);
        Assert.Contains("even on idle hosts", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void NoGatewayHost_Refused()
    {
        var hosts = Hosts(2).Select(h => h with { Roles = HostRoles.Compute }).ToList();
        var decision = Scheduler.Admit("c", Request(1, 0, 1), hosts, ClaimCalendar.Empty);
        Assert.Contains("gateway", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void SiteConstraint_OnlyThoseSites()
    {
        var hosts = Hosts(2).Concat([new HostCapacity("x1", "x-1", "b", new Resources(64, 65536, 1_000_000), HostRoles.All)]).ToList();
        var request = Request(3, 0, 1) with { Sites = ["b"] };
        var plan = Scheduler.Plan("c", request, hosts, ClaimCalendar.Empty).Placement!;
        Assert.All(plan.NodeHosts.Values, h => Assert.Equal("x1", h));
    }

    [Fact]
    public void PeakUsage_IsPerInstant_NotTheSumOfAllOverlaps()
    {
        // Two claims that overlap the window but not each other: the peak is one of them, not both.
        var calendar = new ClaimCalendar([
            new Claim("a", "h", T0, T0.AddHours(2), new Resources(4, 1, 1)),
            new Claim("b", "h", T0.AddHours(2), T0.AddHours(4), new Resources(4, 1, 1)),
        ]);
        Assert.Equal(4, calendar.PeakUsage("h", T0, T0.AddHours(4)).Cpus);
        Assert.Equal(0, calendar.PeakUsage("h", T0.AddHours(4), T0.AddHours(5)).Cpus);
    }
}
