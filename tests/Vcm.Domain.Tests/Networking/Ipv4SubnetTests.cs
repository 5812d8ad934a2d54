using Vcm.Domain.Networking;
using Xunit;

namespace Vcm.Domain.Tests.Networking;

public sealed class Ipv4SubnetTests
{
    [Fact]
    public void Plan_GatewayFirst_NodesFromTen()
    {
        var subnet = Ipv4Subnet.Parse("10.20.0.0/24");
        Assert.Equal("10.20.0.1", subnet.Gateway);
        Assert.Equal("10.20.0.10", subnet.NodeAddress(0));
        Assert.Equal("10.20.0.11", subnet.NodeAddress(1));
        Assert.Equal("255.255.255.0", subnet.Netmask);
        Assert.Equal(245, subnet.NodeCapacity);
        Assert.Throws<ArgumentOutOfRangeException>(() => subnet.NodeAddress(245));
    }

    [Theory]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("172.16.4.0/24", true)]
    [InlineData("172.32.0.0/24", false)]
    [InlineData("192.168.1.0/24", true)]
    [InlineData("8.8.8.0/24", false)]
    public void IsPrivate(string text, bool expected) => Assert.Equal(expected, Ipv4Subnet.Parse(text).IsPrivate);

    [Theory]
    [InlineData("10.0.0.1/24")]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0/24")]
    [InlineData("10.0.0.0/33")]
    [InlineData("::1/64")]
    public void TryParse_Rejects(string text) => Assert.False(Ipv4Subnet.TryParse(text, out _, out _));

    [Theory]
    [InlineData(1, "10.0.0.0/24")]
    [InlineData(245, "10.0.0.0/24")]
    [InlineData(246, "10.0.0.0/23")]
    [InlineData(10_001, "10.0.0.0/18")]
    public void SizedFor_SmallestThatHoldsTheNodes(int nodes, string expected) =>
        Assert.Equal(expected, Ipv4Subnet.SizedFor("10.0.0.0", nodes).ToString());

    [Fact]
    public void FirstFree_SkipsUsedBlocks()
    {
        var pool = Ipv4Subnet.Parse("10.0.0.0/8");
        var used = new[] { Ipv4Subnet.Parse("10.0.0.0/24"), Ipv4Subnet.Parse("10.0.1.0/25"), Ipv4Subnet.Parse("10.0.3.0/24") };

        Assert.Equal("10.0.2.0/24", Ipv4Subnet.FirstFree(pool, 10, used).ToString());
        Assert.Equal("10.0.4.0/23", Ipv4Subnet.FirstFree(pool, 300, used).ToString());
    }

    [Fact]
    public void FirstFree_AllUsed_FallsBackToTheFirstBlock()
    {
        var pool = Ipv4Subnet.Parse("192.168.7.0/24");
        Assert.Equal("192.168.7.0/24", Ipv4Subnet.FirstFree(pool, 5, [pool]).ToString());
    }

    [Theory]
    [InlineData("10.0.0.0/24", "10.0.0.128/25", true)]
    [InlineData("10.0.0.0/24", "10.0.1.0/24", false)]
    [InlineData("10.0.0.0/8", "10.200.0.0/16", true)]
    public void Overlaps(string a, string b, bool expected) =>
        Assert.Equal(expected, Ipv4Subnet.Parse(a).Overlaps(Ipv4Subnet.Parse(b)));
}
