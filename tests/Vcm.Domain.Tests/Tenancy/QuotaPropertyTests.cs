using FsCheck;
using FsCheck.Fluent;
using Vcm.Domain.Tenancy;
using Xunit;

namespace Vcm.Domain.Tests.Tenancy;

/// <summary>
/// Random creates, deletes and windows for two tenants: the quota check never lets either exceed any quota at any
/// instant (or node-hours in any month), and never refuses a request that fits — checked against a brute-force count
/// hour by hour. Windows start at whole hours near a month's end, so node-hours cross months.
/// </summary>
public sealed class QuotaPropertyTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 29, 0, 0, 0, TimeSpan.Zero);

    private static readonly TenantQuota[] Quotas =
    [
        new() { Nodes = 10, Vcpus = 24, MemoryMb = 40 * 1024, SharedMb = 300 * 1024, NodeHours = 700 },
        new() { Nodes = 6, MemoryMb = 20 * 1024, NodeHours = 300 },
    ];

    public sealed record Op(bool Create, int Tenant, int Nodes, int Cpus, int MemoryGb, int SharedGb, int StartHour, int Hours, int Pick);

    private static readonly Gen<Op> OpGen =
        from create in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        from tenant in Gen.Choose(0, 1)
        from nodes in Gen.Choose(1, 7)
        from cpus in Gen.Choose(1, 4)
        from memory in Gen.Choose(1, 6)
        from shared in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, 200)))
        from start in Gen.Choose(0, 96)
        from hours in Gen.Choose(1, 60)
        from pick in Gen.Choose(0, 1000)
        select new Op(create, tenant, nodes, cpus, memory, shared, start, hours, pick);

    [Fact]
    public void RandomCreatesAndDeletes_NeverExceed_NeverRefuseWhatFits()
    {
        var property = Prop.ForAll(Arb.From(Gen.ListOf(OpGen)), ops => Run(ops));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    private static bool Run(IEnumerable<Op> ops)
    {
        var held = new[] { new List<Reservation>(), new List<Reservation>() };
        foreach (var op in ops)
        {
            var mine = held[op.Tenant];
            if (!op.Create)
            {
                if (mine.Count > 0)
                {
                    mine.RemoveAt(op.Pick % mine.Count);
                }

                continue;
            }

            var asked = new Reservation(T0.AddHours(op.StartHour), T0.AddHours(op.StartHour + op.Hours),
                op.Nodes, op.Nodes * op.Cpus, op.Nodes * op.MemoryGb * 1024L, op.SharedGb * 1024L);
            var excesses = QuotaCheck.Check(Quotas[op.Tenant], mine, asked);
            var fits = FitsByBruteForce(Quotas[op.Tenant], [.. mine, asked]);
            Assert.True(excesses.Count == 0 == fits, $"check says {string.Join("; ", excesses)}, brute force says fits={fits}");
            if (excesses.Count == 0)
            {
                mine.Add(asked);
            }

            Assert.True(FitsByBruteForce(Quotas[op.Tenant], mine));
        }

        return true;
    }

    /// <summary>Hour by hour over the whole horizon: every quota at every hour, node-hours summed per month.</summary>
    private static bool FitsByBruteForce(TenantQuota quota, IReadOnlyList<Reservation> all)
    {
        var perMonth = new Dictionary<int, long>();
        for (var hour = 0; hour < 200; hour++)
        {
            var t = T0.AddHours(hour);
            var now = all.Where(r => r.Start <= t && t < r.End).ToList();
            if (now.Sum(r => r.Nodes) > (quota.Nodes ?? long.MaxValue) || now.Sum(r => r.Vcpus) > (quota.Vcpus ?? long.MaxValue)
                || now.Sum(r => r.MemoryMb) > (quota.MemoryMb ?? long.MaxValue) || now.Sum(r => r.SharedMb) > (quota.SharedMb ?? long.MaxValue))
            {
                return false;
            }

            perMonth[t.Month] = perMonth.GetValueOrDefault(t.Month) + now.Sum(r => r.Nodes);
        }

        return perMonth.Values.All(h => h <= (quota.NodeHours ?? long.MaxValue));
    }

    [Fact]
    public void Refusal_NamesTheQuota_WhatIsUsed_AndWhatWasAsked()
    {
        var quota = new TenantQuota { Nodes = 8, NodeHours = 100 };
        var held = new List<Reservation> { new(T0, T0.AddHours(10), 6, 6, 6144, 0) };

        var excesses = QuotaCheck.Check(quota, held, new Reservation(T0.AddHours(5), T0.AddHours(20), 3, 3, 3072, 0));

        var nodes = Assert.Single(excesses, e => e.Quota == "nodes");
        Assert.Equal((8L, 6L, 3L), (nodes.Limit, nodes.Used, nodes.Asked));
        Assert.Equal("at 2030-01-29 05:00:00Z", nodes.When);
        Assert.Empty(QuotaCheck.Check(quota, held, new Reservation(T0.AddHours(10), T0.AddHours(20), 3, 3, 3072, 0)));
    }

    [Fact]
    public void Overcommitted_ALoweredQuotaBelowWhatIsReserved_IsNamed()
    {
        var held = new List<Reservation> { new(T0.AddDays(3), T0.AddDays(4), 6, 6, 6144, 0) };

        var below = QuotaCheck.Overcommitted(new TenantQuota { Nodes = 4, Vcpus = 100 }, held, T0);

        Assert.Equal(["nodes"], below.Select(e => e.Quota));
        Assert.Empty(QuotaCheck.Overcommitted(new TenantQuota { Nodes = 6 }, held, T0));
        Assert.Empty(QuotaCheck.Overcommitted(new TenantQuota { Nodes = 1 }, held, T0.AddDays(5)));
    }
}
