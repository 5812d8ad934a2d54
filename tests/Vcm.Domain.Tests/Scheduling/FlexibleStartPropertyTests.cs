using FsCheck;
using FsCheck.Fluent;
using Vcm.Domain.Clusters;
using Vcm.Domain.Scheduling;
using Xunit;

namespace Vcm.Domain.Tests.Scheduling;

/// <summary>
/// A flexible start (a request that may start anywhere from its start to a latest start) is admitted at the earliest
/// start that fits, and refused only when none does — checked on small random calendars against a brute-force search
/// over every minute of the range. Times are whole minutes, so every minute is every start there is to try.
/// </summary>
public sealed class FlexibleStartPropertyTests
{
    private static readonly DateTimeOffset T0 = RandomClaims.T0;

    public sealed record Case(IReadOnlyList<RandomClaims.RandomClaim> Claims, int Nodes, int Cpus, int MemoryGb, int SharedGb, int From, int Range, int Minutes, bool Spread);

    private static readonly Gen<RandomClaims.RandomClaim> ClaimGen = RandomClaims.Gen(lastStart: 120, maxCpus: 8, maxMemoryGb: 16);

    private static readonly Gen<Case> CaseGen =
        from claims in Gen.Choose(0, 8).SelectMany(n => Gen.ListOf(ClaimGen, n))
        from nodes in Gen.Choose(1, 4)
        from cpus in Gen.Choose(1, 8)
        from memory in Gen.Choose(1, 16)
        from shared in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, 60)))
        from from_ in Gen.Choose(0, 90)
        from range in Gen.Choose(0, 90)
        from minutes in Gen.Choose(1, 60)
        from spread in Gen.Elements(true, false)
        select new Case(claims.ToList(), nodes, cpus, memory, shared, from_, range, minutes, spread);

    [Fact]
    public void TheChosenStart_IsTheEarliestThatFits_AndNoneIsChosenWhenNoneFits()
    {
        var property = Prop.ForAll(Arb.From(CaseGen), c => Run(c));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), property);
    }

    private static bool Run(Case c)
    {
        var hosts = Enumerable.Range(0, 3).Select(i => new HostCapacity(
            $"h{i}", $"host-{i}", "a", new Resources(16, 32 * 1024, 100 * 1024), i == 0 ? HostRoles.All : HostRoles.Compute)).ToList();
        var calendar = new ClaimCalendar(c.Claims.Select((claim, i) => claim.ToClaim($"old{i}")));
        var request = new PlacementRequest(
            NodeName.For(c.Nodes - 1, true), new Resources(c.Cpus, c.MemoryGb * 1024L, 10 * 1024), c.SharedGb * 1024L,
            T0.AddMinutes(c.From), T0.AddMinutes(c.From + c.Minutes), c.Spread ? PlacementPolicy.Spread : PlacementPolicy.Pack, []);
        var latest = T0.AddMinutes(c.From + c.Range);

        var decision = Scheduler.Admit("new", request, hosts, calendar, latest);

        var bruteForce = Enumerable.Range(c.From, c.Range + 1).Select(m => T0.AddMinutes(m))
            .Cast<DateTimeOffset?>()
            .FirstOrDefault(start => Scheduler.Plan("new", request.At(start!.Value), hosts, calendar).Placement is not null);
        Assert.Equal(bruteForce, decision.Placement?.Start);
        if (decision.Placement is { } placement)
        {
            Assert.All(placement.Claims, claim => Assert.Equal((placement.Start, placement.Start + request.Duration), (claim.Start, claim.End)));
        }
        else
        {
            Assert.True(decision.Reason!.EndsWith($"; it fits at no start from {request.Start:u} to {latest:u}", StringComparison.Ordinal)
                || decision.Reason.EndsWith("; it would not fit even on idle hosts", StringComparison.Ordinal), decision.Reason);
            if (decision.EarliestStart is { } earliest)
            {
                Assert.True(earliest > latest, $"{earliest:u} is not after the latest start {latest:u}");
                Assert.NotNull(Scheduler.Plan("new", request.At(earliest), hosts, calendar).Placement);
            }
        }

        return true;
    }
}
