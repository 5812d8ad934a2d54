using Vcm.Agent.Linux.Network;
using Vcm.Drivers.Network;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Network;

/// <summary>An end of several WAN paths: its files, its per-path openvpn configs and what the selector reads.</summary>
public sealed class VpnPathsTests
{
    private static readonly VpnSpec OnePath = SampleVpn.Spec;

    private static readonly VpnSpec TwoPaths = OnePath with { AlternatePaths = [new VpnPath("172.16.1.1", "172.16.1.2")] };

    private static readonly VpnLayout Layout = new("vc-0123456789ab-b", "/var/vcm/vpns/vc-0123456789ab-b");

    [Fact]
    public void Config_OnePath_AsBefore_NoManagementSocketAndTheSlowKeepalive()
    {
        var text = OpenVpnConfig.Of(OnePath, Layout, 1500);

        Assert.StartsWith("# vcm VPN end vc-0123456789ab-b (server)\ndev vcv", text, StringComparison.Ordinal);
        Assert.Contains("\nlocal 172.16.0.1\n", text, StringComparison.Ordinal);
        Assert.Contains("\nremote 172.16.0.2 1195\n", text, StringComparison.Ordinal);
        Assert.Contains("\nping 2\nping-restart 10\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("management", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_TwoPaths_EachPathItsOwnAddressesTapAndManagementSocket_SamePorts()
    {
        var first = OpenVpnConfig.Of(TwoPaths, Layout, 1500);
        var second = OpenVpnConfig.Of(TwoPaths, Layout.ForPath(2), 1500);

        Assert.Contains("\nlocal 172.16.0.1\n", first, StringComparison.Ordinal);
        Assert.Contains("\nlocal 172.16.1.1\n", second, StringComparison.Ordinal);
        Assert.Contains("\nremote 172.16.1.2 1195\n", second, StringComparison.Ordinal);
        Assert.Contains("\nlport 1194\n", second, StringComparison.Ordinal);
        Assert.Contains($"\ndev {Layout.Tap}\n", first, StringComparison.Ordinal);
        Assert.Contains($"\ndev {Layout.ForPath(2).Tap}\n", second, StringComparison.Ordinal);
        Assert.NotEqual(Layout.Tap, Layout.ForPath(2).Tap);
        Assert.Contains("\nmanagement \"/var/vcm/vpns/vc-0123456789ab-b/management.sock\" unix\n", first, StringComparison.Ordinal);
        Assert.Contains("\nmanagement \"/var/vcm/vpns/vc-0123456789ab-b/management-2.sock\" unix\n", second, StringComparison.Ordinal);
        Assert.Contains("\nping 1\nping-restart 2\n", second, StringComparison.Ordinal);
    }

    [Fact]
    public void Layout_Path1_KeepsTheNamesOfAnEndOfOnePath_OtherPathsTheirOwn()
    {
        Assert.Equal("/var/vcm/vpns/vc-0123456789ab-b/openvpn.conf", Layout.Config);
        Assert.Equal("/var/vcm/vpns/vc-0123456789ab-b/openvpn.pid", Layout.Pid);
        Assert.Equal(VpnLayout.TapName("vc-0123456789ab-b"), Layout.Tap);
        Assert.Equal("/var/vcm/vpns/vc-0123456789ab-b/openvpn-2.conf", Layout.ForPath(2).Config);
        Assert.Equal("--config /var/vcm/vpns/vc-0123456789ab-b/openvpn-2.conf", Layout.ForPath(2).Marker);
        Assert.Equal(Layout.TapAlias, Layout.ForPath(2).TapAlias);
    }

    [Fact]
    public void PathsFile_DescribedThenRead_BridgeAndEachPathsLocalAddress()
    {
        var read = VpnPaths.Read(VpnPaths.Describe(TwoPaths));

        Assert.NotNull(read);
        Assert.Equal("vcb100", read.Value.Bridge);
        Assert.Equal([(1, "172.16.0.1"), (2, "172.16.1.1")], read.Value.Paths);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("bridge vcb100\n1 172.16.0.1 172.16.0.2\n")]
    [InlineData("bridge vcb100\none 172.16.0.1 172.16.0.2\n2 172.16.1.1 172.16.1.2\n")]
    public void PathsFile_NotOfSeveralPaths_IsNotRead(string? text) => Assert.Null(VpnPaths.Read(text));

    [Fact]
    public void Carriers_AnAddressOnALinkWithoutCarrier_IsNotUsable()
    {
        const string json = """
            [{"ifindex":2,"ifname":"wan0","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP"],"operstate":"LOWERLAYERDOWN",
              "addr_info":[{"family":"inet","local":"172.16.0.1","prefixlen":30}]},
             {"ifindex":3,"ifname":"wan0p2","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"operstate":"UP",
              "addr_info":[{"family":"inet","local":"172.16.1.1","prefixlen":30}]},
             {"ifindex":4,"ifname":"wan9","flags":["BROADCAST","MULTICAST"],"operstate":"DOWN",
              "addr_info":[{"family":"inet","local":"172.16.9.1","prefixlen":30}]}]
            """;

        var carriers = VpnPaths.Carriers(json);

        Assert.False(carriers["172.16.0.1"]);
        Assert.True(carriers["172.16.1.1"]);
        Assert.False(carriers["172.16.9.1"]);
    }
}
