using FsCheck;
using FsCheck.Fluent;
using Vcm.Domain.Moves;
using Vcm.Domain.Scheduling;
using Xunit;

namespace Vcm.Domain.Tests.Moves;

public sealed class RehomingTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Resources Node = new(2, 1024, 10 * 1024);

    private static HostCapacity Host(string name, long cpus = 8, HostRoles roles = HostRoles.All) =>
        new(name, name, "s", new Resources(cpus, 16 * 1024, 200 * 1024), roles);

    private static LostPiece Piece(string name, int fromHour = 0, int toHour = 10, HostRoles role = HostRoles.Compute, Resources? size = null) =>
        new("c", name, role, size ?? Node, T0.AddHours(fromHour), T0.AddHours(toHour));

    [Fact]
    public void Place_SpreadsNodesOverTheHostsWithMostFreeRoom()
    {
        var placed = Rehoming.Place([Piece("node-01"), Piece("node-02")], [Host("h1"), Host("h2")], ClaimCalendar.Empty);
        Assert.Equal(["h1", "h2"], placed.Select(p => p.HostId));
    }

    [Fact]
    public void Place_HonoursAFutureReservation_OnTheHostThatLooksFreeNow()
    {
        // h1 is empty now, but a reservation takes all of it from hour 5: only h2 has room for the whole window
        var calendar = new ClaimCalendar([new Claim("future", "h1", T0.AddHours(5), T0.AddHours(8), new Resources(8, 1024, 1024))]);
        var placed = Rehoming.Place([Piece("node-01")], [Host("h1"), Host("h2", cpus: 4)], calendar);
        Assert.Equal("h2", Assert.Single(placed).HostId);
    }

    [Fact]
    public void Place_GivesTheReason_WhenNoHostHasRoom()
    {
        var placed = Rehoming.Place([Piece("node-01"), Piece("node-02")], [Host("h1", cpus: 2)], ClaimCalendar.Empty);
        Assert.Equal("h1", placed[0].HostId);
        Assert.Null(placed[1].HostId);
        Assert.Contains("no ready host has room for node-02", placed[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Place_PutsTheGatewayAndVolumeOnlyOnHostsOfTheirRole()
    {
        var hosts = new[] { Host("h1", roles: HostRoles.Compute), Host("h2", roles: HostRoles.Compute | HostRoles.Gateway) };
        var placed = Rehoming.Place(
            [Piece("gateway", role: HostRoles.Gateway, size: Resources.Zero), Piece("volume", role: HostRoles.Storage, size: new Resources(0, 0, 1024))],
            hosts, ClaimCalendar.Empty);
        Assert.Equal("h2", placed[0].HostId);
        Assert.Null(placed[1].HostId);
        Assert.Equal("no ready host has the storage role", placed[1].Reason);
    }

    public sealed record Case(int Hosts, int Pieces, int Busy, int Seed);

    private static readonly Gen<Case> CaseGen =
        from hosts in Gen.Choose(1, 5)
        from pieces in Gen.Choose(1, 12)
        from busy in Gen.Choose(0, 10)
        from seed in Gen.Choose(0, 1000)
        select new Case(hosts, pieces, busy, seed);

    /// <summary>Whatever the calendar held, no host is over-committed at any hour once the placed pieces are added.</summary>
    [Fact]
    public void Place_NeverOverCommitsAHost()
    {
        var property = Prop.ForAll(Arb.From(CaseGen), c =>
        {
            var random = new Random(c.Seed);
            var hosts = Enumerable.Range(1, c.Hosts).Select(i => Host($"h{i}", cpus: random.Next(2, 9))).ToList();
            var claims = Enumerable.Range(0, c.Busy).Select(i =>
            {
                var start = random.Next(0, 20);
                return new Claim($"other{i}", $"h{random.Next(1, c.Hosts + 1)}", T0.AddHours(start), T0.AddHours(start + random.Next(1, 10)), new Resources(random.Next(1, 4), 512, 1024));
            }).ToList();
            var pieces = Enumerable.Range(1, c.Pieces).Select(i =>
            {
                var from = random.Next(0, 15);
                return Piece($"node-{i:00}", from, from + random.Next(1, 15));
            }).ToList();

            var placed = Rehoming.Place(pieces, hosts, new ClaimCalendar(claims));
            var all = claims.Concat(placed.Where(p => p.HostId is not null)
                .Select(p => new Claim(p.Piece.ClusterId, p.HostId!, p.Piece.From, p.Piece.To, p.Piece.Size))).ToList();
            foreach (var host in hosts)
            {
                for (var h = 0; h < 40; h++)
                {
                    var t = T0.AddHours(h).AddMinutes(30);
                    var used = all.Where(k => k.HostId == host.HostId && k.Start <= t && k.End > t).Aggregate(Resources.Zero, (a, k) => a + k.Amount);
                    var ownBefore = claims.Where(k => k.HostId == host.HostId && k.Start <= t && k.End > t).Aggregate(Resources.Zero, (a, k) => a + k.Amount);
                    // a host already over-committed by the calendar alone took nothing more at that hour
                    Assert.True(used.FitsIn(host.Capacity) || used == ownBefore, $"{host.Name} at hour {h}: {used} of {host.Capacity}");
                }
            }

            Assert.Equal(pieces.Count, placed.Count);
            Assert.All(placed, p => Assert.True(p.HostId is not null ^ p.Reason is not null));
            return true;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }
}
