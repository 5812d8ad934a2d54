using System.Diagnostics;
using System.Text.Json;
using Vcm.Domain.Naming;
using Vcm.Drivers;
using Xunit;
using Xunit.Abstractions;

namespace Vcm.Agent.Tests.Linux.Network;

/// <summary>Segments made by the Linux driver on two namespace "hosts" carry real traffic, and keep clusters apart.</summary>
public sealed class LinuxSegmentTrafficTests(ITestOutputHelper output)
{
    private const int VniA = 100;
    private const int VniB = 200;

    [NetworkAdminFact]
    public async Task Segment_OnTwoHosts_NodesPingEachOtherAcrossVxlanWith1500ByteFrames()
    {
        await using var hosts = await TwoHostLab.CreateAsync();
        var clock = Stopwatch.StartNew();
        hosts.Lab.OnDispose(() => hosts.Driver1.DeleteSegmentAsync(HostObjectNames.Bridge(VniA), CancellationToken.None));
        var outcome = await hosts.Driver1.EnsureSegmentAsync(TwoHostLab.Segment(VniA), CancellationToken.None);
        output.WriteLine($"segment ensured (created) in {clock.ElapsedMilliseconds} ms");
        await hosts.EnsureOnBothAsync(VniA);
        var a1 = await hosts.NodeAsync(onHost2: false, VniA, "a1", "10.98.0.1", 1);
        await hosts.NodeAsync(onHost2: true, VniA, "a2", "10.98.0.2", 2);

        Assert.Equal(EnsureOutcome.Created, outcome);
        Assert.True(await NetnsLab.PingsAsync(a1, "10.98.0.2"), "a1 cannot ping a2 across the VXLAN");
        Assert.True(await NetnsLab.PingsAsync(a1, "10.98.0.2", size: 1472), "a 1500-byte packet does not cross the VXLAN");
        var bridge = await LinkAsync(hosts.H1, HostObjectNames.Bridge(VniA));
        Assert.Equal(1500, bridge.GetProperty("mtu").GetInt32());
    }

    [NetworkAdminFact]
    public async Task Segments_TwoClustersWithOneSubnetOnTheSameHosts_AreIsolated()
    {
        await using var hosts = await TwoHostLab.CreateAsync();
        await hosts.EnsureOnBothAsync(VniA);
        await hosts.EnsureOnBothAsync(VniB);
        var a1 = await hosts.NodeAsync(onHost2: false, VniA, "a1", "10.98.0.1", 1);
        await hosts.NodeAsync(onHost2: true, VniA, "a2", "10.98.0.2", 2);
        var b1 = await hosts.NodeAsync(onHost2: false, VniB, "b1", "10.98.0.1", 3);
        await hosts.NodeAsync(onHost2: true, VniB, "b2", "10.98.0.3", 4);

        Assert.True(await NetnsLab.PingsAsync(a1, "10.98.0.2"), "cluster A: h1 -> h2 should work");
        Assert.True(await NetnsLab.PingsAsync(b1, "10.98.0.3"), "cluster B: h1 -> h2 should work");
        Assert.True(await NetnsLab.NeverPingsAsync(a1, "10.98.0.3"), "cluster A reached an address only cluster B has");
        Assert.True(await NetnsLab.NeverPingsAsync(b1, "10.98.0.2"), "cluster B reached an address only cluster A has");
    }

    [NetworkAdminFact]
    public async Task Segment_PeersChanged_FloodEntriesBecomeExactlyThePeers()
    {
        await using var hosts = await TwoHostLab.CreateAsync();
        var segment = TwoHostLab.Segment(VniA);
        hosts.Lab.OnDispose(() => hosts.Driver1.DeleteSegmentAsync(segment.Bridge, CancellationToken.None));
        var wide = segment with { Peers = [TwoHostLab.Underlay2, "192.0.2.50", "192.0.2.51", TwoHostLab.Underlay1] };

        var created = await hosts.Driver1.EnsureSegmentAsync(wide, CancellationToken.None);
        var afterCreate = await FloodPeersAsync(hosts.H1, segment.Vxlan);
        var narrowed = await hosts.Driver1.EnsureSegmentAsync(segment, CancellationToken.None);
        var afterNarrow = await FloodPeersAsync(hosts.H1, segment.Vxlan);
        var again = await hosts.Driver1.EnsureSegmentAsync(segment, CancellationToken.None);

        Assert.Equal(EnsureOutcome.Created, created);
        Assert.Equal(["172.30.0.2", "192.0.2.50", "192.0.2.51"], afterCreate);
        Assert.Equal(EnsureOutcome.Updated, narrowed);
        Assert.Equal(["172.30.0.2"], afterNarrow);
        Assert.Equal(EnsureOutcome.Unchanged, again);
    }

    [NetworkAdminFact]
    public async Task Segment_SameVniUnderAnotherName_IsRefusedAsTerminal()
    {
        await using var hosts = await TwoHostLab.CreateAsync();
        var segment = TwoHostLab.Segment(VniA);
        hosts.Lab.OnDispose(() => hosts.Driver1.DeleteSegmentAsync(segment.Bridge, CancellationToken.None));
        await hosts.Driver1.EnsureSegmentAsync(segment, CancellationToken.None);

        var clash = segment with { Bridge = "vcbother", Vxlan = "vcxother" };
        hosts.Lab.OnDispose(() => hosts.Driver1.DeleteSegmentAsync(clash.Bridge, CancellationToken.None));
        var error = await Assert.ThrowsAsync<DriverException>(() => hosts.Driver1.EnsureSegmentAsync(clash, CancellationToken.None));

        Assert.True(error.Terminal);
        Assert.Contains(segment.Vxlan, error.Message, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> LinkAsync(string ns, string name)
    {
        var result = await NetnsLab.RunAsync("ip", "-n", ns, "-j", "link", "show", "dev", name);
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement[0].Clone();
    }

    private static async Task<List<string>> FloodPeersAsync(string ns, string vxlan)
    {
        var result = await NetnsLab.RunAsync("bridge", "-n", ns, "-j", "fdb", "show", "dev", vxlan);
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.EnumerateArray()
            .Where(e => e.GetProperty("mac").GetString() == "00:00:00:00:00:00")
            .Select(e => e.GetProperty("dst").GetString()!)
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
