using Vcm.Domain.Common;
using Vcm.Domain.Tenancy;
using Xunit;

namespace Vcm.Domain.Tests.Tenancy;

public sealed class TenantQuotaTests
{
    [Fact]
    public void Parse_EveryLimit_RoundTripsThroughText()
    {
        var problems = new List<Problem>();

        var quota = TenantQuota.Parse("nodes=64,vcpus=256,memory=512G,shared=1T,node-hours=10000", TenantQuota.None, "quota", problems);

        Assert.Empty(problems);
        Assert.Equal(new TenantQuota { Nodes = 64, Vcpus = 256, MemoryMb = 512 * 1024, SharedMb = 1024 * 1024, NodeHours = 10000 }, quota);
        Assert.Equal("nodes=64,vcpus=256,memory=512G,shared=1T,node-hours=10000", quota.ToString());
        Assert.Equal(quota, TenantQuota.Parse(quota.ToString(), TenantQuota.None, "quota", problems));
    }

    [Fact]
    public void Parse_OverAnother_ChangesOnlyWhatIsNamed_NoneLiftsALimit()
    {
        var problems = new List<Problem>();
        var start = new TenantQuota { Nodes = 8, Vcpus = 16, NodeHours = 100 };

        var quota = TenantQuota.Parse("vcpus=32,node-hours=none", start, "quota", problems);

        Assert.Empty(problems);
        Assert.Equal(new TenantQuota { Nodes = 8, Vcpus = 32 }, quota);
        Assert.Equal("none", TenantQuota.None.ToString());
    }

    [Fact]
    public void Parse_BadItems_EachListed()
    {
        var problems = new List<Problem>();

        TenantQuota.Parse("nodes=-1,gpus=2,memory=lots,vcpus,node-hours=1e3", TenantQuota.None, "quota", problems);

        Assert.Equal(5, problems.Count);
        Assert.All(problems, p => Assert.Equal("quota", p.Field));
        Assert.Contains(problems, p => p.Message.Contains("'gpus' is not a quota", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("reader", Role.Reader)]
    [InlineData("member", Role.Member)]
    [InlineData("tenant-admin", Role.TenantAdmin)]
    [InlineData("provider", Role.Provider)]
    public void Roles_NamesRoundTrip_AndEachHoldsThoseBelow(string name, Role role)
    {
        Assert.True(Roles.TryParse(name, out var parsed));
        Assert.Equal(role, parsed);
        Assert.Equal(name, Roles.Name(role));
        Assert.All(Roles.All, other => Assert.Equal(other <= role, role.Holds(other)));
        Assert.False(Roles.TryParse(name.ToUpperInvariant(), out _));
    }
}
