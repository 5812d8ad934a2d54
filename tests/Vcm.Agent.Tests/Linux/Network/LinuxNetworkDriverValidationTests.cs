using Vcm.Agent.Linux;
using Vcm.Agent.Linux.Network;
using Vcm.Drivers;
using Vcm.Drivers.Network;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Network;

/// <summary>A spec no host can satisfy is refused as terminal before the driver runs anything.</summary>
public sealed class LinuxNetworkDriverValidationTests : IDisposable
{
    private static readonly SegmentSpec Segment = new() { Bridge = "vcb100", Vxlan = "vcx100", Vni = 100, Peers = ["192.0.2.10"] };

    private static readonly GatewaySpec Gateway = new()
    {
        Name = "vc-0123456789ab-gw",
        Bridge = "vcb100",
        Subnet = "10.96.0.0/24",
        Address = "10.96.0.1",
        Domain = "demo",
        Nodes = [new GatewayNode("n1", "52:54:00:00:00:01", "10.96.0.11", ["ssh-ed25519 AAAA k"], Token: "t", SshPort: 2201)],
        External = new ExternalAttachment("vmbr-ext", "198.18.0.10/24", "198.18.0.1"),
    };

    private readonly RefusingRunner _runner = new();
    private readonly string _data = Path.Combine(Path.GetTempPath(), "vct-validation-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly LinuxNetworkDriver _driver;

    public LinuxNetworkDriverValidationTests()
    {
        _driver = new LinuxNetworkDriver(new LinuxHostContext
        {
            HostName = "validation",
            DataDirectory = _data,
            Netns = "vct-never-made",
            UnderlayAddress = "192.0.2.1",
            Runner = _runner,
            VcmExecutable = "/bin/false",
            ImageStore = _data,
        });
    }

    public static TheoryData<string, SegmentSpec> BadSegments => new()
    {
        { "bridge name too long", Segment with { Bridge = "vcb-sixteen-char" } },
        { "VNI zero", Segment with { Vni = 0 } },
        { "VNI beyond 24 bits", Segment with { Vni = 0x1000000 } },
        { "peer not an address", Segment with { Peers = ["host-b"] } },
        { "MTU too small", Segment with { Mtu = 200 } },
    };

    public static TheoryData<string, GatewaySpec> BadGateways => new()
    {
        { "name without vc", Gateway with { Name = "gw1" } },
        { "name with a slash", Gateway with { Name = "vc/../etc" } },
        { "address outside the subnet", Gateway with { Address = "10.95.0.1" } },
        { "subnet not CIDR", Gateway with { Subnet = "10.96.0.0" } },
        { "node outside the subnet", Gateway with { Nodes = [Gateway.Nodes[0] with { Ip = "10.95.0.11" }] } },
        { "node at the gateway's address", Gateway with { Nodes = [Gateway.Nodes[0] with { Ip = "10.96.0.1" }] } },
        { "bad MAC", Gateway with { Nodes = [Gateway.Nodes[0] with { Mac = "52:54:00:00:01" }] } },
        { "two nodes, one MAC", Gateway with { Nodes = [Gateway.Nodes[0], Gateway.Nodes[0] with { Name = "n2", Ip = "10.96.0.12", SshPort = 2202 }] } },
        { "two nodes, one SSH port", Gateway with { Nodes = [Gateway.Nodes[0], Gateway.Nodes[0] with { Name = "n2", Mac = "52:54:00:00:00:02", Ip = "10.96.0.12" }] } },
        { "node name with a comma", Gateway with { Nodes = [Gateway.Nodes[0] with { Name = "n1,evil" }] } },
        { "domain with a space", Gateway with { Domain = "my cluster" } },
        { "external address without prefix", Gateway with { External = Gateway.External! with { Address = "198.18.0.10" } } },
        { "router not an address", Gateway with { External = Gateway.External! with { Router = "router" } } },
    };

    private static readonly VpnSpec Vpn = SampleVpn.Spec;

    public static TheoryData<string, VpnSpec> BadVpns => new()
    {
        { "path 2 local not an address", Vpn with { AlternatePaths = [new VpnPath("wan1", "172.16.1.2")] } },
        { "path 2 to itself", Vpn with { AlternatePaths = [new VpnPath("172.16.1.1", "172.16.1.1")] } },
        { "two paths, one local address", Vpn with { AlternatePaths = [new VpnPath("172.16.0.1", "172.16.1.2")] } },
        { "nine paths", Vpn with { AlternatePaths = Enumerable.Range(1, 8).Select(i => new VpnPath($"172.16.{i}.1", $"172.16.{i}.2")).ToList() } },
    };

    [Theory]
    [MemberData(nameof(BadVpns))]
    public async Task EnsureVpn_UnsatisfiablePaths_IsTerminalAndRunsNothing(string why, VpnSpec spec)
    {
        var error = await Assert.ThrowsAsync<DriverException>(() => _driver.EnsureVpnAsync(spec, CancellationToken.None));

        Assert.True(error.Terminal, why);
        Assert.Empty(_runner.Calls);
        Assert.False(Directory.Exists(_data), "nothing may be written for a refused spec");
    }

    [Theory]
    [MemberData(nameof(BadSegments))]
    public async Task EnsureSegment_Unsatisfiable_IsTerminalAndRunsNothing(string why, SegmentSpec spec)
    {
        var error = await Assert.ThrowsAsync<DriverException>(() => _driver.EnsureSegmentAsync(spec, CancellationToken.None));

        Assert.True(error.Terminal, why);
        Assert.Empty(_runner.Calls);
    }

    [Theory]
    [MemberData(nameof(BadGateways))]
    public async Task EnsureGateway_Unsatisfiable_IsTerminalAndRunsNothing(string why, GatewaySpec spec)
    {
        var error = await Assert.ThrowsAsync<DriverException>(() => _driver.EnsureGatewayAsync(spec, CancellationToken.None));

        Assert.True(error.Terminal, why);
        Assert.Empty(_runner.Calls);
        Assert.False(Directory.Exists(_data), "nothing may be written for a refused spec");
    }

    [Fact]
    public async Task Commands_RunInTheHostNamespace()
    {
        await Assert.ThrowsAsync<DriverException>(() => _driver.EnsureSegmentAsync(Segment, CancellationToken.None));

        Assert.NotEmpty(_runner.Calls);
        Assert.All(_runner.Calls, call => Assert.StartsWith("ip -n vct-never-made ", call, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _driver.Dispose();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}
