using FsCheck;
using FsCheck.Fluent;
using Vcm.Domain.Tenancy;
using Xunit;

namespace Vcm.Domain.Tests.Tenancy;

/// <summary>
/// The headroom a tenant's capacity view shows is exact: a request of n nodes held through a whole span passes the
/// quota check exactly when n is at most the headroom's count of such nodes — on random reservations and spans.
/// </summary>
public sealed class QuotaHeadroomPropertyTests
{
    private static readonly DateTimeOffset T0 = new(2030, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly TenantQuota[] Quotas =
    [
        new() { Nodes = 10, Vcpus = 24, MemoryMb = 40 * 1024 },
        new() { Vcpus = 16 },
        new() { Nodes = 6, MemoryMb = 20 * 1024 },
    ];

    public sealed record Held(int StartHour, int Hours, int Nodes, int Cpus, int MemoryGb);

    public sealed record Case(int Quota, List<Held> Held, int FromHour, int Hours, int Cpus, int MemoryGb);

    private static readonly Gen<Held> HeldGen =
        from start in Gen.Choose(0, 48)
        from hours in Gen.Choose(1, 24)
        from nodes in Gen.Choose(1, 5)
        from cpus in Gen.Choose(1, 4)
        from memory in Gen.Choose(1, 6)
        select new Held(start, hours, nodes, cpus, memory);

    private static readonly Gen<Case> CaseGen =
        from quota in Gen.Choose(0, Quotas.Length - 1)
        from held in Gen.ListOf(HeldGen).Select(l => l.Take(8).ToList())
        from first in Gen.Choose(0, 60)
        from hours in Gen.Choose(1, 24)
        from cpus in Gen.Choose(1, 4)
        from memory in Gen.Choose(1, 6)
        select new Case(quota, held, first, hours, cpus, memory);

    [Fact]
    public void ARequestThroughTheSpan_FitsTheQuota_ExactlyUpToTheHeadroom()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(Arb.From(CaseGen), Holds));
    }

    [Fact]
    public void NodeHours_AreTheTightestMonthsLeft()
    {
        var quota = new TenantQuota { NodeHours = 100 };
        var march = new Reservation(T0.AddDays(30), T0.AddDays(30).AddHours(10), 3, 3, 3072, 0); // 30 node-hours on 31 March
        var april = new Reservation(T0.AddDays(31), T0.AddDays(31).AddHours(20), 4, 4, 4096, 0); // 80 node-hours on 1 April

        Assert.Equal(70, QuotaHeadroom.Within(quota, [march, april], T0.AddDays(30), T0.AddDays(30).AddHours(1)).NodeHours);
        Assert.Equal(20, QuotaHeadroom.Within(quota, [march, april], T0.AddDays(30), T0.AddDays(32)).NodeHours);
        Assert.Null(QuotaHeadroom.Within(quota, [march, april], T0, T0.AddDays(1)).Nodes);
    }

    private static bool Holds(Case c)
    {
        var quota = Quotas[c.Quota];
        var held = c.Held.Select(h => new Reservation(
            T0.AddHours(h.StartHour), T0.AddHours(h.StartHour + h.Hours), h.Nodes, h.Nodes * h.Cpus, h.Nodes * h.MemoryGb * 1024L, 0)).ToList();
        var from = T0.AddHours(c.FromHour);
        var to = from.AddHours(c.Hours);
        var most = QuotaHeadroom.Within(quota, held, from, to).NodesOf(c.Cpus, c.MemoryGb * 1024L);
        Assert.NotNull(most);
        for (var n = 1; n <= most!.Value + 2; n++)
        {
            var asked = new Reservation(from, to, n, n * c.Cpus, n * c.MemoryGb * 1024L, 0);
            var fits = QuotaCheck.Check(quota, held, asked).Count == 0;
            if (fits != (n <= most.Value))
            {
                return false;
            }
        }

        return true;
    }
}
