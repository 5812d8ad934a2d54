using FsCheck;
using FsCheck.Fluent;
using Vcm.Domain.Clusters;
using Vcm.Domain.Scheduling;
using Xunit;

namespace Vcm.Domain.Tests.Scheduling;

/// <summary>
/// A series admitted in one pass (each occurrence against the calendar plus the earlier occurrences' claims) never
/// overcommits any host at any instant — checked on small random calendars and series by counting, minute by minute,
/// what every claim (old and admitted) holds on every host. An occurrence refused is one that would not fit then.
/// </summary>
public sealed class SeriesPropertyTests
{
    private static readonly DateTimeOffset T0 = RandomClaims.T0;

    private static readonly Resources Capacity = new(16, 32 * 1024, 100 * 1024);

    public sealed record Case(IReadOnlyList<RandomClaims.RandomClaim> Claims, int Nodes, int Cpus, int MemoryGb, int SharedGb, int First, int Every, int Count, int Minutes, bool Spread);

    private static readonly Gen<RandomClaims.RandomClaim> ClaimGen = RandomClaims.Gen(lastStart: 150, maxCpus: 12, maxMemoryGb: 24);

    private static readonly Gen<Case> CaseGen =
        from claims in Gen.Choose(0, 10).SelectMany(n => Gen.ListOf(ClaimGen, n))
        from nodes in Gen.Choose(1, 4)
        from cpus in Gen.Choose(1, 8)
        from memory in Gen.Choose(1, 16)
        from shared in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, 60)))
        from first in Gen.Choose(0, 60)
        from every in Gen.Choose(5, 60)
        from count in Gen.Choose(1, 6)
        from minutes in Gen.Choose(1, 70) // longer than the interval at times: occurrences overlap one another too
        from spread in Gen.Elements(true, false)
        select new Case(claims.ToList(), nodes, cpus, memory, shared, first, every, count, minutes, spread);

    [Fact]
    public void AnAdmittedSeries_NeverOvercommitsAnyHostAtAnyInstant_AndRefusesOnlyWhatDoesNotFit()
    {
        var property = Prop.ForAll(Arb.From(CaseGen), c => Run(c));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(400), property);
    }

    private static bool Run(Case c)
    {
        var hosts = Enumerable.Range(0, 3).Select(i => new HostCapacity($"h{i}", $"host-{i}", "a", Capacity, i == 0 ? HostRoles.All : HostRoles.Compute)).ToList();
        var old = new List<Claim>();
        foreach (var claim in c.Claims.Select((claim, i) => claim.ToClaim($"old{i}")))
        {
            if (Overcommitted(old.Append(claim).ToList(), hosts) is null)
            {
                old.Add(claim); // a calendar admission could have made: no host over its capacity
            }
        }

        var calendar = new ClaimCalendar(old);
        var occurrences = Enumerable.Range(0, c.Count).Select(k => ($"occ{k}", new PlacementRequest(
            NodeName.For(c.Nodes - 1, true), new Resources(c.Cpus, c.MemoryGb * 1024L, 10 * 1024), c.SharedGb * 1024L,
            T0.AddMinutes(c.First + k * c.Every), T0.AddMinutes(c.First + k * c.Every + c.Minutes), c.Spread ? PlacementPolicy.Spread : PlacementPolicy.Pack, []))).ToList();

        var results = SeriesScheduler.Plan(occurrences, hosts, calendar);

        var admitted = results.Where(r => r.Placement is not null).SelectMany(r => r.Placement!.Claims).ToList();
        var all = old.Concat(admitted).ToList();
        Assert.Null(Overcommitted(all, hosts));

        // what the calendar holds now is exactly the old claims and the admitted occurrences' claims
        Assert.Equal(all.Count, calendar.All.Count());

        // an occurrence refused would not fit against the old claims and the occurrences admitted before it
        for (var k = 0; k < results.Count; k++)
        {
            if (results[k].Placement is null)
            {
                var before = new ClaimCalendar(old.Concat(results.Take(k).Where(r => r.Placement is not null).SelectMany(r => r.Placement!.Claims)));
                Assert.Null(Scheduler.Plan(occurrences[k].Item1, occurrences[k].Item2, hosts, before).Placement);
            }
        }

        return true;
    }

    /// <summary>The first host and minute at which the claims hold more than the host has, counted minute by minute; null if none.</summary>
    private static string? Overcommitted(IReadOnlyList<Claim> claims, IReadOnlyList<HostCapacity> hosts)
    {
        var end = claims.Select(x => x.End).DefaultIfEmpty(T0).Max();
        for (var at = T0; at < end; at = at.AddMinutes(1))
        {
            foreach (var host in hosts)
            {
                var held = claims.Where(x => x.HostId == host.HostId && x.Start <= at && x.End > at).Aggregate(Resources.Zero, (sum, x) => sum + x.Amount);
                if (held.Cpus > Capacity.Cpus || held.MemoryMb > Capacity.MemoryMb || held.DiskMb > Capacity.DiskMb)
                {
                    return $"{host.Name} holds {held} at {at:u}, more than its {Capacity}";
                }
            }
        }

        return null;
    }
}
