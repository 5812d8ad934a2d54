using FsCheck;
using FsCheck.Fluent;
using Vcm.Domain.Moves;
using Vcm.Domain.Scheduling;
using Xunit;

namespace Vcm.Domain.Tests.Moves;

/// <summary>
/// Consolidation empties the least-loaded hosts onto the fullest where every move has room for the node's whole
/// remaining window, future claims included; hosts holding what cannot move stay; no host is ever over-committed.
/// </summary>
public sealed class ConsolidatorTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly IReadOnlyList<HostCapacity> Hosts =
    [
        new("h1", "host-1", "a", new Resources(4, 4096, 100), HostRoles.Compute),
        new("h2", "host-2", "a", new Resources(4, 4096, 100), HostRoles.Compute),
        new("h3", "host-3", "a", new Resources(4, 4096, 100), HostRoles.Compute),
    ];

    private static readonly Resources Small = new(1, 512, 10);

    [Fact]
    public void Plan_LightHostsEmptiedOntoTheFullest()
    {
        // h1: 1 node, h2: 1 node, h3: 2 nodes → h1 and h2 go to h3
        var nodes = new[] { Node("a", "head", "h1"), Node("b", "head", "h2"), Node("c", "head", "h3"), Node("c", "node-01", "h3") };
        var plan = Consolidator.Plan(Hosts, Calendar(nodes), nodes, Now);

        Assert.Equal(["h1", "h2"], plan.Emptied);
        Assert.All(plan.Moves, m => Assert.Equal("h3", m.ToHostId));
        Assert.Equal(["a/head", "b/head"], plan.Moves.Select(m => m.Cluster + "/" + m.Node).Order());
        Assert.Single(plan.Kept, k => k.HostId == "h3");
    }

    [Fact]
    public void Plan_AFutureReservationOnTheFullestHost_IsKeptWhole_TheNodeGoesElsewhereOrStays()
    {
        // h3 is booked full from the next hour: a node running for 2 hours may not go there
        var nodes = new[] { Node("a", "head", "h1", hours: 2), Node("c", "head", "h3"), Node("c", "node-01", "h3") };
        var calendar = Calendar(nodes);
        calendar.Add(new Claim("later", "h3", Now.AddHours(1), Now.AddHours(5), new Resources(2, 0, 0)));

        var plan = Consolidator.Plan(Hosts, calendar, nodes, Now);

        Assert.DoesNotContain(plan.Moves, m => m.ToHostId == "h3");
        Assert.Contains(plan.Kept, k => k.HostId == "h3" && k.Reason.Contains("future reservation", StringComparison.Ordinal));
        Assert.Contains(plan.Kept, k => k.HostId == "h1" && k.Reason.Contains("fits on no other host", StringComparison.Ordinal));
        Assert.Empty(plan.Emptied);
    }

    [Fact]
    public void Plan_AStuckNode_KeepsItsHost()
    {
        var nodes = new[] { Node("a", "head", "h1") with { Stuck = "cluster a is Provisioning" }, Node("c", "head", "h3") };
        var plan = Consolidator.Plan(Hosts, Calendar(nodes), nodes, Now);

        Assert.Contains(plan.Kept, k => k.HostId == "h1" && k.Reason.Contains("cluster a is Provisioning", StringComparison.Ordinal));
        Assert.DoesNotContain("h1", plan.Emptied);
    }

    public sealed record Placed(int Host, int Cluster, int Cpus, int Minutes);

    public sealed record Future(int Host, int Start, int Minutes, int Cpus);

    public sealed record Case(IReadOnlyList<Placed> Nodes, IReadOnlyList<Future> Futures);

    private static readonly Gen<Case> Cases =
        from nodes in Gen.Choose(0, 10).SelectMany(n => Gen.ListOf(
            from host in Gen.Choose(0, 2)
            from cluster in Gen.Choose(0, 4)
            from cpus in Gen.Choose(1, 3)
            from minutes in Gen.Choose(1, 120)
            select new Placed(host, cluster, cpus, minutes), n))
        from futures in Gen.Choose(0, 4).SelectMany(n => Gen.ListOf(
            from host in Gen.Choose(0, 2)
            from start in Gen.Choose(1, 100)
            from minutes in Gen.Choose(1, 60)
            from cpus in Gen.Choose(1, 4)
            select new Future(host, start, minutes, cpus), n))
        select new Case(nodes.ToList(), futures.ToList());

    [Fact]
    public void Plan_NeverOvercommitsAHostAtAnyMinute_AndEmptiedHostsLoseEveryNode()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(Arb.From(Cases), c => Run(c)));
    }

    private static bool Run(Case c)
    {
        var calendar = ClaimCalendar.Empty;
        var nodes = new List<RunningNode>();
        foreach (var (p, i) in c.Nodes.Select((p, i) => (p, i)))
        {
            var node = new RunningNode($"c{p.Cluster}", $"c{p.Cluster}", $"n{i}", Hosts[p.Host].HostId, new Resources(p.Cpus, 0, 0), Now.AddMinutes(p.Minutes));
            if (TryAdd(calendar, new Claim(node.ClusterId, node.HostId, Now.AddMinutes(-5), node.End, node.Size)))
            {
                nodes.Add(node);
            }
        }

        foreach (var (f, i) in c.Futures.Select((f, i) => (f, i)))
        {
            TryAdd(calendar, new Claim($"f{i}", Hosts[f.Host].HostId, Now.AddMinutes(f.Start), Now.AddMinutes(f.Start + f.Minutes), new Resources(f.Cpus, 0, 0)));
        }

        var plan = Consolidator.Plan(Hosts, calendar, nodes, Now);

        var after = new ClaimCalendar(calendar.All);
        foreach (var move in plan.Moves)
        {
            var node = nodes.Single(n => n.Node == move.Node);
            Assert.Equal(node.HostId, move.FromHostId);
            Assert.NotEqual(move.FromHostId, move.ToHostId);
            Assert.DoesNotContain(move.ToHostId, plan.Emptied);
            after.Add(new Claim(node.ClusterId, move.ToHostId, Now, node.End, node.Size));
        }

        foreach (var host in plan.Emptied)
        {
            Assert.All(nodes.Where(n => n.HostId == host), n => Assert.Contains(plan.Moves, m => m.Node == n.Node));
            Assert.DoesNotContain(calendar.ClaimsOn(host), k => k.Start > Now);
        }

        Assert.Equal(plan.Moves.Count, plan.Moves.Select(m => m.Node).Distinct().Count());
        foreach (var host in Hosts)
        {
            for (var minute = 0; minute < 200; minute++)
            {
                var at = Now.AddMinutes(minute);
                var used = after.ClaimsOn(host.HostId).Where(k => k.Start <= at && k.End > at).Sum(k => k.Amount.Cpus);
                Assert.True(used <= host.Capacity.Cpus, $"{host.Name} over-committed at minute {minute}: {used} cpus");
            }
        }

        return true;
    }

    private static bool TryAdd(ClaimCalendar calendar, Claim claim)
    {
        var host = Hosts.Single(h => h.HostId == claim.HostId);
        if (!claim.Amount.FitsIn(host.Capacity - calendar.PeakUsage(claim.HostId, claim.Start, claim.End)))
        {
            return false;
        }

        calendar.Add(claim);
        return true;
    }

    private static RunningNode Node(string cluster, string node, string host, int hours = 4) =>
        new(cluster, cluster, node, host, Small, Now.AddHours(hours));

    private static ClaimCalendar Calendar(IEnumerable<RunningNode> nodes) =>
        new(nodes.Select(n => new Claim(n.ClusterId, n.HostId, Now.AddHours(-1), n.End, n.Size)));
}
