using Vcm.Drivers.Rpc;
using Vcm.Manager.Agents;
using Vcm.Manager.Controllers;
using Xunit;

namespace Vcm.Manager.Tests.Controllers;

public sealed class ImageChainTests
{
    [Fact]
    public void Plan_HostsInNameOrder_FirstFromTheStore_EachNextFromItsPredecessorWithItsReadToken()
    {
        var routes = new Dictionary<string, AgentRoute>(StringComparer.Ordinal)
        {
            ["h1"] = new("a1", "http://10.0.0.1:8711", "key-1"),
            ["h2"] = new("a2", "http://10.0.0.2:8711", "key-2"),
            ["h3"] = new("a3", "http://10.0.0.3:8711", "key-3"),
        };

        var plan = ImageChain.Plan(["h3", "h1", "h2", "h1"], routes);

        Assert.Equal(["h1", "h2", "h3"], plan.Keys.Order(StringComparer.Ordinal));
        Assert.Null(plan["h1"]);
        Assert.Equal(new("h1", "http://10.0.0.1:8711", ImageReadToken.For("key-1")), plan["h2"]);
        Assert.Equal(new("h2", "http://10.0.0.2:8711", ImageReadToken.For("key-2")), plan["h3"]);
        Assert.NotEqual("key-1", plan["h2"]!.Token);
    }

    [Fact]
    public void Plan_HostWithoutAKnownAgent_TheNextCopiesFromTheStore()
    {
        var routes = new Dictionary<string, AgentRoute>(StringComparer.Ordinal) { ["h2"] = new("a2", "http://10.0.0.2:8711", "key-2") };

        var plan = ImageChain.Plan(["h1", "h2", "h3"], routes);

        Assert.Null(plan["h1"]);
        Assert.Null(plan["h2"]);
        Assert.Equal("h2", plan["h3"]!.Host);
    }
}
