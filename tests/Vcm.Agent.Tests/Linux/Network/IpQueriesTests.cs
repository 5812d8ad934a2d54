using Vcm.Agent.Linux.Network;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Network;

/// <summary>Reading what iproute2 prints, as this machine's iproute2 prints it.</summary>
public sealed class IpQueriesTests
{
    [Fact]
    public void ParseNamespaces_WithAndWithoutIds_EveryName()
    {
        var names = IpQueries.ParseNamespaces("""[{"name":"vcl-a1"},{"name":"vcl-a-sw","id":0}]""");

        Assert.Equal(["vcl-a-sw", "vcl-a1"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ParseNamespaces_NoneAtAll_Empty()
    {
        Assert.Empty(IpQueries.ParseNamespaces(""));
        Assert.Empty(IpQueries.ParseNamespaces("[]\n"));
    }

    [Fact]
    public void ParsePids_OneALine_EveryPid()
    {
        Assert.Equal([4242, 17], IpQueries.ParsePids("4242\n17\n"));
        Assert.Empty(IpQueries.ParsePids(""));
    }

    [Fact]
    public void ParseRouteDestinations_DefaultNetworksAndHosts_EveryDestination()
    {
        const string Routes = """
            [{"dst":"default","gateway":"192.0.2.1","dev":"eth0","flags":[]},
             {"dst":"192.0.2.0/24","dev":"eth0","protocol":"kernel","scope":"link","prefsrc":"192.0.2.2","flags":[]},
             {"dst":"10.1.2.3","gateway":"192.0.2.1","dev":"eth0","flags":[]}]
            """;

        Assert.Equal(["default", "192.0.2.0/24", "10.1.2.3"], IpQueries.ParseRouteDestinations(Routes));
    }
}
