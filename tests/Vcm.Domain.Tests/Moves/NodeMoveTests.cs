using FsCheck;
using FsCheck.Fluent;
using Vcm.Domain.Moves;
using Vcm.Domain.Scheduling;
using Xunit;

namespace Vcm.Domain.Tests.Moves;

public sealed class NodeMoveTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Resources Node = new(2, 1024, 10 * 1024);

    public sealed record Case(int Nodes, int StartHour, int Hours, int AtHour, int Extra);

    private static readonly Gen<Case> CaseGen =
        from nodes in Gen.Choose(1, 6)
        from start in Gen.Choose(0, 10)
        from hours in Gen.Choose(1, 30)
        from at in Gen.Choose(0, 45)
        from extra in Gen.Choose(0, 3)
        select new Case(nodes, start, hours, at, extra);

    /// <summary>
    /// At every hour, the cluster's use of the source after the release is its use before less one node — exactly
    /// where the old claims held the node on past the moment it left — and unchanged before that moment.
    /// </summary>
    [Fact]
    public void Release_TakesOneNodeFromTheRestOfTheWindow_AndNothingElse()
    {
        var property = Prop.ForAll(Arb.From(CaseGen), c =>
        {
            var start = T0.AddHours(c.StartHour);
            var end = start.AddHours(c.Hours);
            var at = start.AddHours(c.AtHour % (c.Hours + 5)); // a running cluster: its claims began by now
            var claims = new List<Claim> { new("c", "h1", start, end, Node * c.Nodes) };
            for (var i = 0; i < c.Extra; i++)
            {
                claims.Add(new Claim("c", "h1", start.AddHours(i % ((at - start).Hours + 1)), end, Node)); // grown nodes, nodes moved in
            }

            var after = NodeMove.Release(claims, Node, at);
            if (at >= end)
            {
                return after is null; // no claim holds anything past the moment
            }

            Assert.NotNull(after);
            for (var h = 0; h < 50; h++)
            {
                var t = T0.AddHours(h).AddMinutes(30);
                var before = Use(claims, t);
                var expected = t >= at && before.Cpus > 0 && HeldPast(claims, t) ? before - Node : before;
                Assert.Equal(expected, Use(after, t));
            }

            Assert.All(after, k => Assert.True(k.Start < k.End && k.Amount != Resources.Zero));
            return true;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), property);
    }

    [Fact]
    public void Room_CountsFutureReservations_OnTheDestination()
    {
        var host = new HostCapacity("h2", "host-2", "a", new Resources(4, 4096, 100 * 1024), HostRoles.Compute);
        var calendar = new ClaimCalendar([new Claim("other", "h2", T0.AddHours(5), T0.AddHours(6), new Resources(3, 1024, 0))]);

        Assert.Null(NodeMove.Room(host, Node, T0, T0.AddHours(4), calendar));
        var refused = NodeMove.Room(host, Node, T0, T0.AddHours(8), calendar);
        Assert.Contains("host-2 has 1 cpus", refused, StringComparison.Ordinal);
    }

    /// <summary>Whether the claim chosen to hold the node covers t: every claim here ends at the same end, so any one does.</summary>
    private static bool HeldPast(IEnumerable<Claim> claims, DateTimeOffset t) => claims.Any(c => c.Start <= t && c.End > t);

    private static Resources Use(IEnumerable<Claim> claims, DateTimeOffset t) =>
        claims.Where(c => c.Start <= t && c.End > t).Aggregate(Resources.Zero, (s, c) => s + c.Amount);
}
