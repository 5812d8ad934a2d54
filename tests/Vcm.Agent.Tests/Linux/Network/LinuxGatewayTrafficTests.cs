using System.Text.Json;
using Vcm.Drivers;
using Vcm.Drivers.Network;
using Vcm.Drivers.Processes;
using Xunit;
using Xunit.Abstractions;

namespace Vcm.Agent.Tests.Linux.Network;

/// <summary>
/// A gateway made by the Linux driver serves real stand-in nodes: DHCP (fixed leases only), DNS (node names only,
/// nothing forwarded), NAT out, the SSH port in, the metadata service; and it converges when nodes change or its
/// daemons die. One gateway for the class (<see cref="GatewayLab"/>); tests that change it put it back.
/// </summary>
[Collection(nameof(LinuxGatewayTrafficTests))]
public sealed class LinuxGatewayTrafficTests(GatewayLab gateway, ITestOutputHelper output) : IClassFixture<GatewayLab>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [NetworkAdminFact]
    public async Task Ensure_New_IsCreated_AndAgainUnchanged()
    {
        output.WriteLine($"segment ensure: {gateway.SegmentTime.TotalMilliseconds:0} ms; gateway ensure (created, daemons listening): {gateway.GatewayTime.TotalMilliseconds:0} ms");

        Assert.Equal(EnsureOutcome.Created, gateway.FirstOutcome);
        Assert.Equal(EnsureOutcome.Unchanged, await gateway.Driver.EnsureGatewayAsync(gateway.Spec, None));
        Assert.Contains(gateway.Spec.Name, (await gateway.Driver.ListAsync(None)).Gateways);
    }

    /// <summary>Reports how long the driver's steps take once the process is warm (no assertion on the times).</summary>
    [NetworkAdminFact]
    public async Task SecondSegmentAndGateway_AreCreatedUnchangedAndDeleted_WithTimingsReported()
    {
        var segment = gateway.Segment with { Bridge = "vcb301", Vxlan = "vcx301", Vni = 301 };
        var spec = gateway.Spec with { Name = $"vc-t{gateway.Lab.Tag}-g2", Bridge = segment.Bridge, External = null };
        var outcomes = new List<string>();
        async Task TimeAsync<T>(string what, Func<Task<T>> step)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var outcome = await step();
            outcomes.Add($"{what}: {outcome}");
            output.WriteLine($"{what}: {outcome} in {clock.Elapsed.TotalMilliseconds:0} ms");
        }

        try
        {
            await TimeAsync("ensure segment", () => gateway.Driver.EnsureSegmentAsync(segment, None));
            await TimeAsync("ensure segment again", () => gateway.Driver.EnsureSegmentAsync(segment, None));
            await TimeAsync("ensure gateway", () => gateway.Driver.EnsureGatewayAsync(spec, None));
            await TimeAsync("ensure gateway again", () => gateway.Driver.EnsureGatewayAsync(spec, None));
            await TimeAsync("list", async () => (await gateway.Driver.ListAsync(None)).Gateways.Count);
        }
        finally
        {
            await TimeAsync("delete gateway", () => gateway.Driver.DeleteGatewayAsync(spec.Name, None));
            await TimeAsync("delete segment", () => gateway.Driver.DeleteSegmentAsync(segment.Bridge, None));
        }

        Assert.Equal(
            ["ensure segment: Created", "ensure segment again: Unchanged", "ensure gateway: Created", "ensure gateway again: Unchanged", "list: 2", "delete gateway: Deleted", "delete segment: Deleted"],
            outcomes);
    }

    [NetworkAdminFact]
    public async Task Dhcp_KnownMac_GetsItsFixedAddressWithGatewayAsRouterAndDns()
    {
        await gateway.Node1Async();
        var lease = gateway.Node1Lease;

        Assert.Equal("10.97.0.11", lease["ip"]);
        Assert.Equal("24", lease["mask"]);
        Assert.Equal(GatewayLab.Address, lease["router"]);
        Assert.Equal(GatewayLab.Address, lease["dns"]);
        Assert.Equal("democluster", lease["domain"]);
        Assert.Equal("n1", lease["hostname"]);
    }

    [NetworkAdminFact]
    public async Task Dhcp_UnknownMac_GetsNoLease()
    {
        var stranger = await gateway.AddNodeAsync("unknown", GatewayLab.Mac(gateway.Lab.Tag, 0xee));

        var lease = await GatewayLab.DhcpAsync(gateway.Lab, stranger, tries: 3);

        Assert.Null(lease);
    }

    [NetworkAdminFact]
    public async Task Dns_NodeNameAndNameInDomain_AreAnswered_OtherNamesAreRefused()
    {
        var node = await gateway.Node1Async();

        var shortName = await NetnsLab.InAsync(node, "busybox", "nslookup", "-type=a", "n1", GatewayLab.Address);
        var longName = await NetnsLab.InAsync(node, "busybox", "nslookup", "-type=a", "n1.democluster", GatewayLab.Address);
        var outsideName = await NetnsLab.InAsync(node, "busybox", "nslookup", "-type=a", "example.com", GatewayLab.Address);
        var unknownNode = await NetnsLab.InAsync(node, "busybox", "nslookup", "-type=a", "n9.democluster", GatewayLab.Address);

        Assert.Contains("Address: 10.97.0.11", shortName.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Address: 10.97.0.11", longName.StandardOutput, StringComparison.Ordinal);
        Assert.False(outsideName.Succeeded);
        Assert.Contains("REFUSED", outsideName.StandardOutput + outsideName.StandardError, StringComparison.Ordinal);
        Assert.False(unknownNode.Succeeded);
        Assert.Contains("NXDOMAIN", unknownNode.StandardOutput + unknownNode.StandardError, StringComparison.Ordinal);
    }

    [NetworkAdminFact]
    public async Task Nat_NodeTraffic_ReachesTheOutsideFromTheGatewayExternalAddress()
    {
        var node = await gateway.Node1Async();

        var seen = await NetnsLab.FetchAsync(node, $"http://{GatewayLab.Router}:8080/cgi-bin/whoami");

        Assert.Equal(GatewayLab.ExternalAddress, seen?.Trim());
    }

    [NetworkAdminFact]
    public async Task SshPort_OnTheExternalAddress_IsForwardedToTheNodesPort22()
    {
        await gateway.Node1Async();

        var answer = await NetnsLab.FetchAsync(gateway.Outside, $"http://{GatewayLab.ExternalAddress}:2201/");

        Assert.Equal("node n1", answer?.Trim());
    }

    [NetworkAdminFact]
    public async Task Outside_RoutingIntoTheSubnet_OrAskingTheGatewayServices_IsDropped()
    {
        await gateway.Node1Async();
        await NetnsLab.RunAsync("ip", "-n", gateway.Outside, "route", "replace", "10.97.0.0/24", "via", GatewayLab.ExternalAddress);
        try
        {
            Assert.Null(await NetnsLab.FetchAsync(gateway.Outside, "http://10.97.0.11:22/", seconds: 2));
            Assert.Null(await NetnsLab.FetchAsync(gateway.Outside, $"http://{GatewayLab.Address}/", seconds: 2));
            Assert.Null(await NetnsLab.FetchAsync(gateway.Outside, $"http://{GatewayLab.ExternalAddress}/", seconds: 2));
            Assert.True(await NetnsLab.PingsAsync(gateway.Outside, GatewayLab.ExternalAddress), "the external address should answer ping");
        }
        finally
        {
            await NetnsLab.RunAsync("ip", "-n", gateway.Outside, "route", "del", "10.97.0.0/24");
        }
    }

    [NetworkAdminFact]
    public async Task Metadata_IsServedOnTheGatewayAddress_InsideTheSegment()
    {
        var node = await gateway.Node1Async();

        var answer = await NetnsLab.FetchAsync(node, $"http://{GatewayLab.Address}/");

        Assert.Equal(MetadataStub.Greeting, answer?.Trim());
    }

    [NetworkAdminFact]
    public async Task NodesJson_ListsTheNodesWithTheirTokensHashed()
    {
        var json = await File.ReadAllTextAsync(Path.Combine(gateway.GatewayDirectory, "nodes.json"));
        using var document = JsonDocument.Parse(json);
        var node = Assert.Single(document.RootElement.EnumerateArray().ToList());

        Assert.Equal("n1", node.GetProperty("name").GetString());
        Assert.Equal(gateway.Spec.Nodes[0].Mac, node.GetProperty("mac").GetString());
        Assert.Equal("10.97.0.11", node.GetProperty("ip").GetString());
        Assert.Equal(Sha256Hex("token-of-n1"), node.GetProperty("tokenSha256").GetString());
        Assert.Equal(gateway.Spec.Nodes[0].SshKeys, node.GetProperty("sshKeys").EnumerateArray().Select(k => k.GetString() ?? "").ToList());
        Assert.Equal("echo hello", node.GetProperty("userScript").GetString());
        Assert.DoesNotContain("token-of-n1", json, StringComparison.Ordinal);
    }

    [NetworkAdminFact]
    public async Task Ensure_NodeAdded_IsUpdated_AndDnsmasqServesItWithoutRestarting()
    {
        var dnsmasq = Pid("dnsmasq.pid");
        var added = gateway.Spec with { Nodes = [.. gateway.Spec.Nodes, GatewayLab.Node(gateway.Lab.Tag, 2)] };
        try
        {
            var outcome = await gateway.Driver.EnsureGatewayAsync(added, None);
            var again = await gateway.Driver.EnsureGatewayAsync(added, None);
            var node2 = await gateway.AddNodeAsync("n2", GatewayLab.Mac(gateway.Lab.Tag, 2));
            var lease = await GatewayLab.DhcpAsync(gateway.Lab, node2);
            var lookup = await NetnsLab.InAsync(node2, "busybox", "nslookup", "-type=a", "n2.democluster", GatewayLab.Address);

            Assert.Equal(EnsureOutcome.Updated, outcome);
            Assert.Equal(EnsureOutcome.Unchanged, again);
            Assert.Equal(dnsmasq, Pid("dnsmasq.pid"));
            Assert.Equal("10.97.0.12", lease?["ip"]);
            Assert.Contains("Address: 10.97.0.12", lookup.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            Assert.Equal(EnsureOutcome.Updated, await gateway.Driver.EnsureGatewayAsync(gateway.Spec, None));
        }
    }

    [NetworkAdminFact]
    public async Task Ensure_DaemonsDied_RestartsThemAsUpdated()
    {
        var node = await gateway.Node1Async();
        foreach (var pid in new[] { Pid("dnsmasq.pid"), Pid("metadata.pid") })
        {
            Assert.True(Signals.Terminate(pid));
            Assert.True(await NetnsLab.EventuallyAsync(() => Task.FromResult(!Daemons.IsProcess(pid, "")), attempts: 100, pauseMs: 50), $"pid {pid} did not stop");
        }

        var restarted = await gateway.Driver.EnsureGatewayAsync(gateway.Spec, None);
        var again = await gateway.Driver.EnsureGatewayAsync(gateway.Spec, None);

        Assert.Equal(EnsureOutcome.Updated, restarted);
        Assert.Equal(EnsureOutcome.Unchanged, again);
        Assert.Equal(MetadataStub.Greeting, (await NetnsLab.FetchAsync(node, $"http://{GatewayLab.Address}/"))?.Trim());
        Assert.Contains("Address: 10.97.0.11", (await NetnsLab.InAsync(node, "busybox", "nslookup", "-type=a", "n1", GatewayLab.Address)).StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>As after a reboot: the daemons and the namespace are gone, the folder is still there.</summary>
    [NetworkAdminFact]
    public async Task Ensure_NamespaceAndDaemonsLost_RebuildsThemAsUpdated()
    {
        var node = await gateway.Node1Async();
        foreach (var pid in new[] { Pid("dnsmasq.pid"), Pid("metadata.pid") })
        {
            Signals.Terminate(pid);
            Assert.True(await NetnsLab.EventuallyAsync(() => Task.FromResult(!Daemons.IsProcess(pid, "")), attempts: 100, pauseMs: 50), $"pid {pid} did not stop");
        }

        await NetnsLab.RunAsync("ip", "netns", "del", gateway.Spec.Name);
        Assert.True(await NetnsLab.EventuallyAsync(async () => !(await NetnsLab.TryAsync("ip", "-n", gateway.HostNs, "link", "show", "dev", "vcg" + GatewayHash())).Succeeded), "the host-side veth outlived its namespace");

        var rebuilt = await gateway.Driver.EnsureGatewayAsync(gateway.Spec, None);
        var again = await gateway.Driver.EnsureGatewayAsync(gateway.Spec, None);

        Assert.Equal(EnsureOutcome.Updated, rebuilt);
        Assert.Equal(EnsureOutcome.Unchanged, again);
        Assert.Equal(GatewayLab.ExternalAddress, (await NetnsLab.FetchAsync(node, $"http://{GatewayLab.Router}:8080/cgi-bin/whoami"))?.Trim());
        Assert.Equal("node n1", (await NetnsLab.FetchAsync(gateway.Outside, $"http://{GatewayLab.ExternalAddress}:2201/"))?.Trim());
        Assert.Equal(MetadataStub.Greeting, (await NetnsLab.FetchAsync(node, $"http://{GatewayLab.Address}/"))?.Trim());
    }

    [NetworkAdminFact]
    public async Task Reports_PhoneHomeFiles_AreReturned_PartialOnesSkipped()
    {
        var folder = Path.Combine(gateway.GatewayDirectory, "phone-home");
        var report = new NodeReport("n1", "10.97.0.11", "n1", "ssh-ed25519 AAAAC3Nza n1", "SHA256:abc", 2.5, "0", DateTimeOffset.Parse("2026-11-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await File.WriteAllTextAsync(Path.Combine(folder, "n1.json"), JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        await File.WriteAllTextAsync(Path.Combine(folder, "n2.json"), "{\"name\": \"n2\", \"ip\":");
        try
        {
            var reports = await gateway.Driver.ReportsAsync(gateway.Spec.Name, None);

            Assert.Equal([report], reports);
            Assert.Empty(await gateway.Driver.ReportsAsync("vc-tnothere-gw", None));
        }
        finally
        {
            File.Delete(Path.Combine(folder, "n1.json"));
            File.Delete(Path.Combine(folder, "n2.json"));
        }
    }

    private int Pid(string file) => int.Parse(File.ReadAllText(Path.Combine(gateway.GatewayDirectory, file)).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private string GatewayHash() => Sha256Hex(gateway.Spec.Name)[..8];

    private static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
