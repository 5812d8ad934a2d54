using FsCheck;
using FsCheck.Fluent;
using Vcm.Domain.Scheduling;
using Vcm.Domain.Tenancy;
using Xunit;

namespace Vcm.Domain.Tests.Tenancy;

/// <summary>
/// The runs of starts at which a request fits a tenant's quota agree with the quota check itself at every quarter hour
/// of the range — on random reservations near a month's end (so node-hours cross months) and random quotas; and the
/// starts in both of two lists of runs are exactly those in each.
/// </summary>
public sealed class QuotaFitPropertyTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 29, 0, 0, 0, TimeSpan.Zero);

    private static readonly TenantQuota[] Quotas =
    [
        new() { Nodes = 10, Vcpus = 24, MemoryMb = 40 * 1024, NodeHours = 300 },
        new() { Nodes = 6, NodeHours = 150 },
        new() { Vcpus = 16 },
        new() { NodeHours = 90 },
    ];

    public sealed record Held(int StartHour, int Hours, int Nodes, int Cpus);

    public sealed record Case(int Quota, List<Held> Held, int Nodes, int Cpus, int Hours, int FromHour);

    private static readonly Gen<Held> HeldGen =
        from start in Gen.Choose(0, 120)
        from hours in Gen.Choose(1, 30)
        from nodes in Gen.Choose(1, 5)
        from cpus in Gen.Choose(1, 4)
        select new Held(start, hours, nodes, cpus);

    private static readonly Gen<Case> CaseGen =
        from quota in Gen.Choose(0, Quotas.Length - 1)
        from held in Gen.ListOf(HeldGen).Select(l => l.Take(7).ToList())
        from nodes in Gen.Choose(1, 4)
        from cpus in Gen.Choose(1, 4)
        from hours in Gen.Choose(1, 30)
        from first in Gen.Choose(0, 48)
        select new Case(quota, held, nodes, cpus, hours, first);

    [Fact]
    public void TheRuns_AgreeWithTheQuotaCheck_AtEveryQuarterHour()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Arb.From(CaseGen), Holds));
    }

    [Fact]
    public void Both_HoldsExactlyTheStartsInEachList()
    {
        var runs = Gen.ListOf(Gen.Choose(0, 200)).Select(points =>
        {
            var sorted = points.Distinct().Order().ToList();
            var list = new List<FitWindow>();
            for (var i = 0; i + 1 < sorted.Count; i += 2)
            {
                list.Add(new FitWindow(T0.AddMinutes(sorted[i]), T0.AddMinutes(sorted[i + 1])));
            }

            return list;
        });
        var pair = from a in runs from b in runs select (a, b);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Arb.From(pair), p =>
        {
            var both = QuotaFit.Both(p.a, p.b);
            return Enumerable.Range(0, 201).Select(m => T0.AddMinutes(m))
                .All(t => In(both, t) == (In(p.a, t) && In(p.b, t)));
        }));
    }

    private static bool Holds(Case c)
    {
        var quota = Quotas[c.Quota];
        var held = c.Held.Select(h => new Reservation(T0.AddHours(h.StartHour), T0.AddHours(h.StartHour + h.Hours), h.Nodes, h.Nodes * h.Cpus, h.Nodes * 1024L, 0)).ToList();
        var shape = new Reservation(T0, T0, c.Nodes, c.Nodes * c.Cpus, c.Nodes * 1024L, 0);
        var duration = TimeSpan.FromHours(c.Hours);
        var from = T0.AddHours(c.FromHour);
        var to = from.AddDays(3);

        var runs = QuotaFit.Starts(quota, held, shape, duration, from, to);

        for (var s = from; s <= to; s = s.AddMinutes(15))
        {
            var fits = QuotaCheck.Check(quota, held, shape with { Start = s, End = s + duration }).Count == 0;
            if (fits != In(runs, s))
            {
                return false;
            }
        }

        return true;
    }

    private static bool In(IReadOnlyList<FitWindow> runs, DateTimeOffset t) => runs.Any(r => r.First <= t && t <= r.Last);
}
