using FsCheck;
using FsCheck.Fluent;
using Vcm.Domain.Moves;
using Vcm.Domain.Scheduling;
using Xunit;

namespace Vcm.Domain.Tests.Moves;

/// <summary>
/// A drain re-plans future reservations off the drained host for their whole window: whole or not at all, never onto
/// the drained host, never over-committing any host at any minute (checked minute by minute on random calendars).
/// </summary>
public sealed class DrainReplannerTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly IReadOnlyList<HostCapacity> Hosts =
    [
        new("h0", "host-0", "a", new Resources(4, 0, 10), HostRoles.All),
        new("h1", "host-1", "a", new Resources(4, 0, 10), HostRoles.All),
        new("h2", "host-2", "a", new Resources(4, 0, 10), HostRoles.Compute),
        new("h3", "host-3", "a", new Resources(4, 0, 10), HostRoles.Compute | HostRoles.Storage),
    ];

    [Fact]
    public void Replan_RoomElsewhere_MovesNodesVolumeAndGateway_WithClaimsForTheWholeWindow()
    {
        var r = new HeldReservation("c", "later", T0.AddHours(1), T0.AddHours(3), new Resources(2, 0, 1), ["head", "node-01"], 4, Gateway: true);
        var calendar = new ClaimCalendar([new Claim("c", "h0", r.Start, r.End, new Resources(4, 0, 6))]);

        var plan = Assert.Single(DrainReplanner.Replan("h0", [r], Hosts, calendar));

        Assert.True(plan.Moved);
        Assert.DoesNotContain("h0", plan.NodeHosts.Values);
        Assert.Equal(["head", "node-01"], plan.NodeHosts.Keys.Order());
        Assert.NotNull(plan.StorageHostId);
        Assert.Equal("h1", plan.GatewayHostId);
        Assert.All(plan.Claims, c => Assert.Equal((r.Start, r.End, "c"), (c.Start, c.End, c.ClusterId)));
        Assert.Equal(new Resources(4, 0, 6), plan.Claims.Aggregate(Resources.Zero, (s, c) => s + c.Amount));
        Assert.Single(calendar.All); // the calendar given is not changed
    }

    [Fact]
    public void Replan_NoRoomForOneNode_KeepsTheWholeReservation_WithTheReason()
    {
        // the other hosts are full during the reservation's second hour
        var r = new HeldReservation("c", "later", T0.AddHours(1), T0.AddHours(3), new Resources(2, 0, 0), ["head", "node-01"], 0, Gateway: false);
        var full = Hosts.Skip(1).Select(h => new Claim("busy", h.HostId, T0.AddHours(2), T0.AddHours(4), new Resources(3, 0, 0)));
        var plan = Assert.Single(DrainReplanner.Replan("h0", [r], Hosts, new ClaimCalendar(full)));

        Assert.False(plan.Moved);
        Assert.Empty(plan.NodeHosts);
        Assert.Empty(plan.Claims);
        Assert.Contains("no other ready compute host has room for head", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Replan_SecondReservationSeesWhatTheFirstTook()
    {
        // room for one 4-cpu node elsewhere (h2 only: h1 and h3 are busy), two reservations overlapping in time want it
        var busy = new[] { new Claim("busy", "h1", T0, T0.AddHours(10), new Resources(4, 0, 0)), new Claim("busy", "h3", T0, T0.AddHours(10), new Resources(4, 0, 0)) };
        var a = new HeldReservation("a", "a", T0.AddHours(1), T0.AddHours(3), new Resources(4, 0, 0), ["head"], 0, false);
        var b = new HeldReservation("b", "b", T0.AddHours(2), T0.AddHours(4), new Resources(4, 0, 0), ["head"], 0, false);

        var plans = DrainReplanner.Replan("h0", [b, a], Hosts, new ClaimCalendar(busy));

        Assert.Equal(("a", true, "h2"), (plans[0].Name, plans[0].Moved, plans[0].NodeHosts["head"]));
        Assert.Equal(("b", false), (plans[1].Name, plans[1].Moved));
    }

    public sealed record Others(int Host, int Start, int Minutes, int Cpus, int Disk);

    public sealed record Held(int Start, int Minutes, int Nodes, int PerNode, int Shared, bool Gateway);

    public sealed record Case(IReadOnlyList<Others> Claims, IReadOnlyList<Held> Reservations);

    private static readonly Gen<Case> Cases =
        from claims in Gen.Choose(0, 12).SelectMany(n => Gen.ListOf(
            from host in Gen.Choose(0, 3)
            from start in Gen.Choose(0, 150)
            from minutes in Gen.Choose(1, 60)
            from cpus in Gen.Choose(0, 4)
            from disk in Gen.Choose(0, 6)
            select new Others(host, start, minutes, cpus, disk), n))
        from reservations in Gen.Choose(0, 5).SelectMany(n => Gen.ListOf(
            from start in Gen.Choose(0, 150)
            from minutes in Gen.Choose(1, 60)
            from nodes in Gen.Choose(1, 3)
            from perNode in Gen.Choose(1, 3)
            from shared in Gen.Choose(0, 5)
            from gateway in Gen.Elements(true, false)
            select new Held(start, minutes, nodes, perNode, shared, gateway), n))
        select new Case(claims.ToList(), reservations.ToList());

    [Fact]
    public void Replan_NeverOvercommitsAHostAtAnyMinute_AndMovesWholeReservationsOffTheDrainedHost()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(Arb.From(Cases), c => Run(c)));
    }

    private static bool Run(Case c)
    {
        // other clusters' claims, admitted only where they fit (a calendar as admission leaves it)
        var calendar = ClaimCalendar.Empty;
        foreach (var (o, i) in c.Claims.Select((o, i) => (o, i)))
        {
            var claim = new Claim($"o{i}", $"h{o.Host}", T0.AddMinutes(o.Start), T0.AddMinutes(o.Start + o.Minutes), new Resources(o.Cpus, 0, o.Disk));
            if (claim.Amount.FitsIn(Hosts[o.Host].Capacity - calendar.PeakUsage(claim.HostId, claim.Start, claim.End)))
            {
                calendar.Add(claim);
            }
        }

        var reservations = c.Reservations.Select((h, i) => new HeldReservation(
            $"r{i}", $"r{i}", T0.AddMinutes(h.Start), T0.AddMinutes(h.Start + h.Minutes), new Resources(h.PerNode, 0, 0),
            Enumerable.Range(1, h.Nodes).Select(n => $"node-{n:00}").ToList(), h.Shared, h.Gateway)).ToList();
        foreach (var r in reservations)
        {
            calendar.Add(new Claim(r.ClusterId, "h0", r.Start, r.End, (r.PerNode * r.Nodes.Count) + new Resources(0, 0, r.SharedMb)));
        }

        var plans = DrainReplanner.Replan("h0", reservations, Hosts, calendar);

        Assert.Equal(reservations.Select(r => r.Name).Order(), plans.Select(p => p.Name).Order());
        var after = new ClaimCalendar(calendar.All.Where(k => !(k.HostId == "h0" && plans.Any(p => p.Moved && p.ClusterId == k.ClusterId))));
        foreach (var plan in plans)
        {
            var r = reservations.Single(x => x.ClusterId == plan.ClusterId);
            if (!plan.Moved)
            {
                Assert.False(string.IsNullOrEmpty(plan.Reason));
                Assert.Empty(plan.Claims);
                continue;
            }

            Assert.Equal(r.Nodes.Order(), plan.NodeHosts.Keys.Order());
            Assert.DoesNotContain("h0", plan.NodeHosts.Values.Concat(plan.Claims.Select(k => k.HostId)));
            Assert.Equal(r.SharedMb > 0, plan.StorageHostId is not null);
            Assert.Equal(r.Gateway, plan.GatewayHostId is not null);
            Assert.Equal((r.PerNode * r.Nodes.Count) + new Resources(0, 0, r.SharedMb), plan.Claims.Aggregate(Resources.Zero, (s, k) => s + k.Amount));
            Assert.All(plan.Claims, k => Assert.Equal((r.Start, r.End), (k.Start, k.End)));
            foreach (var claim in plan.Claims)
            {
                after.Add(claim);
            }
        }

        foreach (var host in Hosts.Skip(1))
        {
            for (var minute = 0; minute < 220; minute++)
            {
                var at = T0.AddMinutes(minute);
                var used = after.ClaimsOn(host.HostId).Where(k => k.Start <= at && k.End > at).Aggregate(Resources.Zero, (s, k) => s + k.Amount);
                Assert.True(used.FitsIn(host.Capacity), $"{host.Name} over-committed at minute {minute}: {used}");
            }
        }

        return true;
    }
}
