using Vcm.Cli.Lab;
using Xunit;

namespace Vcm.Cli.Tests.Lab;

public sealed class LabPlanTests
{
    private static LabPlan Plan(string shape, int port = 8710)
    {
        Assert.True(LabPlan.TryParse(shape, port, out var plan, out var error), error);
        return plan!;
    }

    [Fact]
    public void WanLinks_OneSite_None()
    {
        var plan = Plan("1x3");
        Assert.Empty(plan.WanLinks);
        Assert.All(plan.AllHosts, h => Assert.Null(plan.WanAddressOf(h)));
    }

    [Fact]
    public void WanLinks_TwoSites_GatewaysJoinedBySlash30()
    {
        var link = Assert.Single(Plan("2x2").WanLinks);

        Assert.Equal(new LabWanLink("vcl-a1", "wan0", "172.16.0.1", "vcl-b1", "wan0", "172.16.0.2"), link);
    }

    [Fact]
    public void WanAddressOf_TwoSites_OnlyGatewayHostsHaveOne()
    {
        var plan = Plan("2x2");
        var addresses = plan.AllHosts.ToDictionary(h => h.Name, plan.WanAddressOf);

        Assert.Equal("172.16.0.1", addresses["a1"]);
        Assert.Equal("172.16.0.2", addresses["b1"]);
        Assert.Null(addresses["a2"]);
        Assert.Null(addresses["b2"]);
    }

    [Fact]
    public void WanLinks_FourSites_StarAroundSiteA()
    {
        var links = Plan("4x1").WanLinks;

        Assert.Equal(["wan0", "wan1", "wan2"], links.Select(l => l.InterfaceA));
        Assert.All(links, l => Assert.Equal("vcl-a1", l.NetnsA));
        Assert.Equal(["vcl-b1", "vcl-c1", "vcl-d1"], links.Select(l => l.NetnsB));
        Assert.Equal(["172.16.0.1", "172.16.0.5", "172.16.0.9"], links.Select(l => l.AddressA));
        Assert.Equal(["172.16.0.2", "172.16.0.6", "172.16.0.10"], links.Select(l => l.AddressB));
    }

    [Fact]
    public void WanLinks_TwoPaths_EachItsOwnVethAndSubnet_Path1AsWithOne()
    {
        var links = (Plan("2x2") with { WanPaths = 2 }).WanLinks;

        Assert.Equal(2, links.Count);
        Assert.Equal(new LabWanLink("vcl-a1", "wan0", "172.16.0.1", "vcl-b1", "wan0", "172.16.0.2"), links[0]);
        Assert.Equal(new LabWanLink("vcl-a1", "wan0p2", "172.16.1.1", "vcl-b1", "wan0p2", "172.16.1.2") { Path = 2 }, links[1]);
    }

    [Fact]
    public void WanAddressesOf_TwoPaths_GatewaysHaveOnePerPathInPathOrder()
    {
        var plan = Plan("2x2") with { WanPaths = 2 };

        Assert.Equal(["172.16.0.1", "172.16.1.1"], plan.WanAddressesOf(plan.Sites[0].Hosts[0]));
        Assert.Equal(["172.16.0.2", "172.16.1.2"], plan.WanAddressesOf(plan.Sites[1].Hosts[0]));
        Assert.Empty(plan.WanAddressesOf(plan.Sites[0].Hosts[1]));
    }

    [Fact]
    public void SameShapeAs_OtherWanPaths_NotTheSameShape() =>
        Assert.False(Plan("2x2").SameShapeAs(Plan("2x2") with { WanPaths = 2 }));

    [Fact]
    public void ManagerUrls_SiteBOnTheNextPort()
    {
        var plan = Plan("2x2", 8720);
        var (a, b) = (plan.Sites[0], plan.Sites[1]);

        Assert.Equal("http://127.0.0.1:8720", plan.LoopbackManagerUrl(a));
        Assert.Equal("http://127.0.0.1:8721", plan.LoopbackManagerUrl(b));
        Assert.Equal("https://192.168.254.1:8720", plan.MgmtManagerUrl(a));
        Assert.Equal("https://192.168.253.1:8721", plan.MgmtManagerUrl(b));
    }

    [Fact]
    public void SameShapeAs_OtherWanRate_StillSameShape() =>
        Assert.True(Plan("2x2").SameShapeAs(Plan("2x2") with { WanRateMbit = 100 }));
}
