using FsCheck;
using FsCheck.Fluent;
using Vcm.Domain.Networking;
using Xunit;

namespace Vcm.Domain.Tests.Networking;

/// <summary>
/// <see cref="Ipv4Subnet.FirstFree"/> walks the used blocks once, sorted; it answers as the plain search does — every
/// block of the pool in order, the first that overlaps no used block — on random pools and used blocks of any size.
/// </summary>
public sealed class FirstFreePropertyTests
{
    public sealed record Case(int PoolPrefix, int Nodes, IReadOnlyList<(int Offset, int Prefix)> Used);

    private static readonly Gen<Case> CaseGen =
        from poolPrefix in Gen.Choose(16, 22)
        from nodes in Gen.Choose(1, 600)
        from used in Gen.Choose(0, 40).SelectMany(n => Gen.ListOf(
            from offset in Gen.Choose(-256, 1 << 16)
            from prefix in Gen.Choose(14, 28)
            select (offset, prefix), n))
        select new Case(poolPrefix, nodes, used.ToList());

    [Fact]
    public void FirstFree_IsTheFirstBlockOfThePoolThatOverlapsNoUsedBlock()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(Arb.From(CaseGen), c =>
        {
            var pool = Ipv4Subnet.Parse($"10.64.0.0/{c.PoolPrefix}");
            var used = c.Used.Select(u => new Ipv4Subnet((uint)(pool.Network + u.Offset * 256L) & (uint.MaxValue << (32 - u.Prefix)), u.Prefix)).ToList();

            Assert.Equal(PlainSearch(pool, c.Nodes, used), Ipv4Subnet.FirstFree(pool, c.Nodes, used));
            return true;
        }));
    }

    private static Ipv4Subnet PlainSearch(Ipv4Subnet pool, int nodes, IReadOnlyList<Ipv4Subnet> used)
    {
        var size = Ipv4Subnet.SizedFor(Ipv4Subnet.Format(pool.Network), nodes);
        for (ulong network = pool.Network; network + size.Size <= (ulong)pool.Network + pool.Size; network += size.Size)
        {
            var candidate = new Ipv4Subnet((uint)network, size.PrefixLength);
            if (!used.Any(u => u.Overlaps(candidate)))
            {
                return candidate;
            }
        }

        return size;
    }
}
