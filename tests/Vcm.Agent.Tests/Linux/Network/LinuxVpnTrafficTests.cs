using Vcm.Agent.Linux;
using Vcm.Drivers;
using Vcm.Drivers.Hosts;
using Vcm.Drivers.Network;
using Vcm.Drivers.Processes;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Network;

/// <summary>
/// VPN ends made by the Linux driver on two namespace "sites" carry a cluster's Ethernet between the sites' bridges
/// (and nothing for a peer with another cluster's keys), come back after their openvpn dies, and leave nothing behind.
/// </summary>
public sealed class LinuxVpnTrafficTests
{
    /// <summary>The TLS handshake takes 1–2 s; a ping is tried every 300 ms for this many times.</summary>
    private const int HandshakeAttempts = 60;

    [NetworkAdminFact]
    public async Task Vpn_BothEnds_CarryFullFramesAndBroadcastsBetweenSites()
    {
        await using var sites = await VpnLab.CreateAsync();

        var server = await sites.EnsureAsync(sites.Server());
        var client = await sites.EnsureAsync(sites.Client());
        var (a, b) = await sites.NodesAsync();

        Assert.Equal(EnsureOutcome.Created, server);
        Assert.Equal(EnsureOutcome.Created, client);
        Assert.True(await TunnelUpAsync(a), "node A cannot ping node B across the VPN");
        Assert.True(await NetnsLab.PingsAsync(a, VpnLab.NodeB, size: 1472), "a 1500-byte packet does not cross the VPN");
        Assert.True(await NetnsLab.PingsAsync(b, VpnLab.NodeA, size: 1472), "a 1500-byte packet does not cross the VPN back");
        Assert.True((await NetnsLab.InAsync(b, "busybox", "arping", "-b", "-c", "2", "-w", "3", "-I", "eth0", VpnLab.NodeA)).Succeeded, "a broadcast ARP request does not cross the VPN");
        var tap = Assert.Single(await sites.TapsAsync(sites.SiteA));
        Assert.Equal(sites.Bridge, tap.GetProperty("master").GetString());
        Assert.Equal(1500, tap.GetProperty("mtu").GetInt32());
    }

    [NetworkAdminFact]
    public async Task EnsureVpn_Twice_SecondIsUnchangedAndKeepsTheProcess()
    {
        await using var sites = await VpnLab.CreateAsync();
        await sites.EnsureBothAsync();
        var pid = sites.Pid(sites.ContextA);

        var again = await sites.EnsureAsync(sites.Server());

        Assert.Equal(EnsureOutcome.Unchanged, again);
        Assert.Equal(pid, sites.Pid(sites.ContextA));
        Assert.Equal(EnsureOutcome.Unchanged, await sites.EnsureAsync(sites.Client()));
    }

    [NetworkAdminFact]
    public async Task EnsureVpn_OpenvpnKilled_RestartsItAndTrafficFlowsAgain()
    {
        await using var sites = await VpnLab.CreateAsync();
        await sites.EnsureBothAsync();
        var (a, _) = await sites.NodesAsync();
        Assert.True(await TunnelUpAsync(a), "the VPN never came up");
        var killed = await sites.KillOpenvpnAsync(sites.ContextB);

        Assert.True(await NetnsLab.NeverPingsAsync(a, VpnLab.NodeB), "traffic crossed with the client end's openvpn dead");
        var restarted = await sites.EnsureAsync(sites.Client());

        Assert.Equal(EnsureOutcome.Updated, restarted);
        var pid = sites.Pid(sites.ContextB);
        Assert.NotNull(pid);
        Assert.NotEqual(killed, pid);
        Assert.True(Daemons.IsProcess(pid.Value, sites.Marker(sites.ContextB)), "the restarted openvpn is not running");
        Assert.True(await TunnelUpAsync(a), "traffic does not cross after the restart");
    }

    [NetworkAdminFact]
    public async Task ReviveVpns_OpenvpnKilled_RestartsItWithoutAnEnsure()
    {
        await using var sites = await VpnLab.CreateAsync();
        await sites.EnsureBothAsync();
        var (a, _) = await sites.NodesAsync();
        Assert.True(await TunnelUpAsync(a), "the VPN never came up");
        await sites.KillOpenvpnAsync(sites.ContextA);

        var revived = await sites.DriverA.ReviveVpnsAsync(CancellationToken.None);
        sites.Noticed(sites.ContextA);
        var again = await sites.DriverA.ReviveVpnsAsync(CancellationToken.None);

        Assert.Equal([sites.Name], revived);
        Assert.Empty(again);
        Assert.True(await TunnelUpAsync(a), "traffic does not cross after the revive");
        Assert.Equal(EnsureOutcome.Unchanged, await sites.EnsureAsync(sites.Server()));
    }

    [NetworkAdminFact]
    public async Task EnsureVpn_ClientWithAnotherClustersKeys_CarriesNothingUntilGivenTheRightKeys()
    {
        await using var sites = await VpnLab.CreateAsync();
        var stranger = VpnKeys.Create("another-cluster", DateTimeOffset.UtcNow);
        await sites.EnsureAsync(sites.Server());
        await sites.EnsureAsync(sites.Client(stranger));
        var (a, _) = await sites.NodesAsync();
        var strangerPid = sites.Pid(sites.ContextB);

        // The server has had the stranger's handshake and refused it (tls-crypt drops it before TLS): only then can
        // the absence of traffic say anything.
        Assert.True(
            await sites.LoggedAsync(sites.ContextA, $"tls-crypt unwrapping failed from [AF_INET]{VpnLab.WanB}:"),
            $"the server never refused the stranger's handshake: {Daemons.Tail(sites.Log(sites.ContextA))}");
        Assert.True(await NetnsLab.NeverPingsAsync(a, VpnLab.NodeB), "traffic crossed to a client with another cluster's keys");
        var rekeyed = await sites.EnsureAsync(sites.Client());

        Assert.Equal(EnsureOutcome.Updated, rekeyed);
        Assert.NotEqual(strangerPid, sites.Pid(sites.ContextB));
        Assert.True(await TunnelUpAsync(a), "traffic does not cross once the client has the cluster's keys");
    }

    [NetworkAdminFact]
    public async Task DeleteVpn_RunningAndDeadEnds_RemovesTapProcessAndFiles()
    {
        await using var sites = await VpnLab.CreateAsync();
        await sites.EnsureBothAsync();
        var serverPid = sites.Pid(sites.ContextA)!.Value;
        await sites.KillOpenvpnAsync(sites.ContextB);
        var refused = await Assert.ThrowsAsync<DriverException>(() => sites.DriverA.DeleteSegmentAsync(sites.Bridge, CancellationToken.None));

        var server = await sites.DriverA.DeleteVpnAsync(sites.Name, CancellationToken.None);
        var client = await sites.DriverB.DeleteVpnAsync(sites.Name, CancellationToken.None);

        Assert.Contains("VPN", refused.Message, StringComparison.Ordinal);
        Assert.Equal(DeleteOutcome.Deleted, server);
        Assert.Equal(DeleteOutcome.Deleted, client);
        Assert.False(Daemons.IsProcess(serverPid, sites.Marker(sites.ContextA)), "the server's openvpn still runs");
        foreach (var (site, context) in new[] { (sites.SiteA, sites.ContextA), (sites.SiteB, sites.ContextB) })
        {
            Assert.Empty(await sites.TapsAsync(site));
            Assert.False(Directory.Exists(sites.Folder(context)), $"{sites.Folder(context)} is left");
        }

        Assert.DoesNotContain(sites.Name, (await sites.DriverA.ListAsync(CancellationToken.None)).Vpns);
        Assert.Equal(DeleteOutcome.Absent, await sites.DriverA.DeleteVpnAsync(sites.Name, CancellationToken.None));
        Assert.Equal(DeleteOutcome.Absent, await sites.DriverB.DeleteVpnAsync(sites.Name, CancellationToken.None));
    }

    [NetworkAdminFact]
    public async Task Teardown_GatewayHostWithVpnEnd_RemovesTheEndAndItsSegment()
    {
        await using var sites = await VpnLab.CreateAsync();
        await sites.EnsureBothAsync();
        var pid = sites.Pid(sites.ContextA)!.Value;
        using var host = new LinuxHost(sites.ContextA, new HostFacts { Name = sites.SiteA, Cpus = 1, MemoryMb = 1024, DiskMb = 1024, Roles = ["gateway"], Driver = "linux" });

        var problems = await host.TeardownAsync(CancellationToken.None);

        Assert.Empty(problems);
        Assert.False(Daemons.IsProcess(pid, sites.Marker(sites.ContextA)), "the server's openvpn still runs");
        Assert.Empty(await sites.TapsAsync(sites.SiteA));
        Assert.False(Directory.Exists(sites.Folder(sites.ContextA)), $"{sites.Folder(sites.ContextA)} is left");
        var left = await sites.DriverA.ListAsync(CancellationToken.None);
        Assert.Empty(left.Vpns);
        Assert.Empty(left.Segments);
    }

    [NetworkAdminFact]
    public async Task EnsureVpn_RateSetThenCleared_PutsATokenBucketOnTheTapThenRemovesIt()
    {
        await using var sites = await VpnLab.CreateAsync();
        await sites.EnsureBothAsync();
        var tap = Assert.Single(await sites.TapsAsync(sites.SiteA)).GetProperty("ifname").GetString()!;
        var limited = sites.Server() with { RateMbit = 20 };

        var set = await sites.EnsureAsync(limited);
        var qdisc = await RootQdiscAsync(sites.SiteA, tap);
        var again = await sites.EnsureAsync(limited);
        var cleared = await sites.EnsureAsync(sites.Server());

        Assert.Equal(EnsureOutcome.Updated, set);
        Assert.Contains("tbf", qdisc, StringComparison.Ordinal);
        Assert.Contains("rate 20Mbit", qdisc, StringComparison.Ordinal);
        Assert.Equal(EnsureOutcome.Unchanged, again);
        Assert.Equal(EnsureOutcome.Updated, cleared);
        Assert.DoesNotContain("tbf", await RootQdiscAsync(sites.SiteA, tap), StringComparison.Ordinal);
    }

    [NetworkAdminFact]
    public async Task EnsureVpn_NoBridge_FailsAndMakesNothing()
    {
        await using var sites = await VpnLab.CreateAsync();

        var error = await Assert.ThrowsAsync<DriverException>(() => sites.EnsureAsync(sites.Server() with { Bridge = "vcb-missing" }));

        Assert.Contains("vcb-missing", error.Message, StringComparison.Ordinal);
        Assert.Empty(await sites.TapsAsync(sites.SiteA));
        Assert.Null(sites.Pid(sites.ContextA));
    }

    private static Task<bool> TunnelUpAsync(string ns) =>
        NetnsLab.EventuallyAsync(async () => (await NetnsLab.InAsync(ns, "busybox", "ping", "-c", "1", "-W", "1", VpnLab.NodeB)).Succeeded, HandshakeAttempts, 300);

    private static async Task<string> RootQdiscAsync(string site, string tap) =>
        (await NetnsLab.RunAsync("tc", "-n", site, "qdisc", "show", "dev", tap, "root")).StandardOutput;
}
