using System.Text.Json;
using Vcm.Agent.Linux.Network;
using Vcm.Domain.Naming;
using Vcm.Drivers;
using Vcm.Drivers.Network;
using Vcm.Drivers.Processes;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Network;

/// <summary>After a gateway and its segment served traffic and were deleted, the host is exactly as it was.</summary>
public sealed class LinuxGatewayCleanupTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [NetworkAdminFact]
    public async Task Delete_AfterServingTraffic_LeavesTheHostAsItWas()
    {
        await using var lab = new NetnsLab();
        var host = new GatewayLab();
        await host.BuildHostAsync(lab);
        var context = host.Context with { UnderlayMtu = 1500 };
        var driver = new LinuxNetworkDriver(context);
        var segment = new SegmentSpec { Bridge = HostObjectNames.Bridge(GatewayLab.Vni), Vxlan = HostObjectNames.Vxlan(GatewayLab.Vni), Vni = GatewayLab.Vni, Peers = ["192.0.2.10"] };
        var spec = GatewayLab.GatewaySpec(lab.Tag, segment.Bridge);
        lab.OnDispose(async () =>
        {
            await driver.DeleteGatewayAsync(spec.Name, None);
            await driver.DeleteSegmentAsync(segment.Bridge, None);
            driver.Dispose();
        });
        var before = await SnapshotAsync(lab, host.HostNs, spec.Name, context.DataDirectory);

        await driver.EnsureSegmentAsync(segment, None);
        await driver.EnsureGatewayAsync(spec, None);
        var node = await lab.AddNodeAsync(host.HostNs, segment.Bridge, "n1", spec.Nodes[0].Mac, mtu: 1450);
        var lease = await GatewayLab.DhcpAsync(lab, node);
        var seen = await NetnsLab.FetchAsync(node, $"http://{GatewayLab.Router}:8080/cgi-bin/whoami");
        var during = await SnapshotAsync(lab, host.HostNs, spec.Name, context.DataDirectory);
        var daemons = new[] { "dnsmasq.pid", "metadata.pid" }.Select(f => int.Parse(File.ReadAllText(Path.Combine(context.Paths.Gateway(spec.Name), f)).Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        await NetnsLab.RunAsync("ip", "-n", host.HostNs, "link", "del", "vctpn1");
        await lab.RemoveNamespaceAsync(node);

        var gatewayDeleted = await driver.DeleteGatewayAsync(spec.Name, None);
        var segmentDeleted = await driver.DeleteSegmentAsync(segment.Bridge, None);
        var after = await SnapshotAsync(lab, host.HostNs, spec.Name, context.DataDirectory);

        Assert.Equal("10.97.0.11", lease?["ip"]);
        Assert.Equal("1450", lease?["mtu"]);
        Assert.Equal(GatewayLab.ExternalAddress, seen?.Trim());
        Assert.NotEqual(before, during);
        Assert.Equal(DeleteOutcome.Deleted, gatewayDeleted);
        Assert.Equal(DeleteOutcome.Deleted, segmentDeleted);
        Assert.Equal(before, after);
        Assert.All(daemons, pid => Assert.False(Daemons.IsProcess(pid, ""), $"daemon {pid} still runs"));
        Assert.False(Directory.Exists(context.Paths.Gateway(spec.Name)));
        var inventory = await driver.ListAsync(None);
        Assert.Empty(inventory.Segments);
        Assert.Empty(inventory.Gateways);
    }

    /// <summary>
    /// What the test can see of the host: its links, nftables tables and processes; the machine's namespaces of this
    /// lab or named after the gateway (other namespaces may come and go with other tests); the processes whose command
    /// line names the data folder.
    /// </summary>
    private static async Task<string> SnapshotAsync(NetnsLab lab, string hostNs, string gateway, string dataDirectory)
    {
        var links = await NetnsLab.RunAsync("ip", "-n", hostNs, "-j", "link", "show");
        using var document = JsonDocument.Parse(links.StandardOutput);
        var linkNames = document.RootElement.EnumerateArray().Select(l => l.GetProperty("ifname").GetString()).Order(StringComparer.Ordinal);
        var tables = (await NetnsLab.RunAsync("ip", "netns", "exec", hostNs, "nft", "list", "tables")).StandardOutput.Trim();
        var hostPids = (await NetnsLab.RunAsync("ip", "netns", "pids", hostNs)).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal);
        var namespaces = (await NetnsLab.RunAsync("ip", "netns", "list")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')[0])
            .Where(n => n.StartsWith($"vct-{lab.Tag}-", StringComparison.Ordinal) || n == gateway)
            .Order(StringComparer.Ordinal);
        var processes = Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(p => p!.All(char.IsAsciiDigit))
            .Where(p => CommandLine(p!).Contains(dataDirectory, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        return $"links: {string.Join(' ', linkNames)}\nnft: {tables}\nhost pids: {string.Join(' ', hostPids)}\nnamespaces: {string.Join(' ', namespaces)}\nprocesses: {string.Join(' ', processes)}";
    }

    private static string CommandLine(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }
}
