using FsCheck;
using FsCheck.Fluent;
using Vcm.Domain.Clusters;
using Vcm.Domain.Scheduling;
using Xunit;

namespace Vcm.Domain.Tests.Scheduling;

/// <summary>Random create/delete sequences never overcommit any host at any instant.</summary>
public sealed class SchedulerPropertyTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public sealed record Op(bool Create, int Nodes, int Cpus, int MemoryGb, int StartHour, int Hours, bool Spread, int SharedGb, int Pick);

    private static readonly Gen<Op> OpGen =
        from create in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        from nodes in Gen.Choose(1, 12)
        from cpus in Gen.Choose(1, 8)
        from memory in Gen.Choose(1, 24)
        from start in Gen.Choose(0, 72)
        from hours in Gen.Choose(1, 36)
        from spread in Gen.Elements(true, false)
        from shared in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, 200)))
        from pick in Gen.Choose(0, 1000)
        select new Op(create, nodes, cpus, memory, start, hours, spread, shared, pick);

    [Fact]
    public void RandomCreateDelete_NeverOvercommits()
    {
        var property = Prop.ForAll(Arb.From(Gen.ListOf(OpGen)), ops => Run(ops));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    private static bool Run(IEnumerable<Op> ops)
    {
        var hosts = Enumerable.Range(1, 5).Select(i => new HostCapacity(
            $"h{i}", $"host-{i}", "a", new Resources(16, 48 * 1024, 400 * 1024), i <= 2 ? HostRoles.All : HostRoles.Compute)).ToList();
        var calendar = new ClaimCalendar([]);
        var live = new List<string>();
        var n = 0;
        foreach (var op in ops)
        {
            if (op.Create || live.Count == 0)
            {
                var id = $"c{n++}";
                var request = new PlacementRequest(
                    NodeName.For(op.Nodes - 1, true), new Resources(op.Cpus, op.MemoryGb * 1024L, 20 * 1024), op.SharedGb * 1024L,
                    T0.AddHours(op.StartHour), T0.AddHours(op.StartHour + op.Hours), op.Spread ? PlacementPolicy.Spread : PlacementPolicy.Pack, []);
                var decision = Scheduler.Admit(id, request, hosts, calendar);
                if (decision.Admitted)
                {
                    Assert.Equal(op.Nodes, decision.Placement!.NodeHosts.Count);
                    foreach (var claim in decision.Placement.Claims)
                    {
                        calendar.Add(claim);
                    }

                    live.Add(id);
                }
                else if (decision.EarliestStart is { } earliest)
                {
                    // The earliest start it names really does fit, and is later than asked.
                    Assert.True(earliest > request.Start);
                    Assert.NotNull(Scheduler.Plan(id, request.At(earliest), hosts, calendar).Placement);
                }
            }
            else
            {
                var victim = live[op.Pick % live.Count];
                calendar.RemoveCluster(victim);
                live.Remove(victim);
            }

            AssertNeverOvercommitted(hosts, calendar);
        }

        return true;
    }

    private static void AssertNeverOvercommitted(IReadOnlyList<HostCapacity> hosts, ClaimCalendar calendar)
    {
        foreach (var host in hosts)
        {
            var claims = calendar.ClaimsOn(host.HostId);
            foreach (var instant in claims.Select(c => c.Start).Distinct())
            {
                var used = claims.Where(c => c.Start <= instant && c.End > instant).Aggregate(Resources.Zero, (sum, c) => sum + c.Amount);
                Assert.True(used.FitsIn(host.Capacity), $"{host.Name} at {instant:u}: {used} used of {host.Capacity}");
            }
        }
    }
}
