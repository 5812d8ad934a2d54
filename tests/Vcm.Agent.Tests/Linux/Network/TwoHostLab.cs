using System.Globalization;
using Vcm.Agent.Linux.Network;
using Vcm.Domain.Naming;
using Vcm.Drivers.Network;

namespace Vcm.Agent.Tests.Linux.Network;

/// <summary>
/// Two "hosts" (namespaces vct-TAG-h1, -h2) joined by an underlay veth with MTU 1600 (172.30.0.1, .2), each with its
/// own Linux network driver, so a 1500-byte segment fits in VXLAN. Removed whole on dispose.
/// </summary>
public sealed class TwoHostLab : IAsyncDisposable
{
    public const string Underlay1 = "172.30.0.1";
    public const string Underlay2 = "172.30.0.2";

    private TwoHostLab(NetnsLab lab, string h1, string h2)
    {
        Lab = lab;
        H1 = h1;
        H2 = h2;
        Driver1 = new LinuxNetworkDriver(lab.HostContext(h1, Underlay1, "data1", underlayMtu: 1600));
        Driver2 = new LinuxNetworkDriver(lab.HostContext(h2, Underlay2, "data2", underlayMtu: 1600));
    }

    public NetnsLab Lab { get; }

    public string H1 { get; }

    public string H2 { get; }

    public LinuxNetworkDriver Driver1 { get; }

    public LinuxNetworkDriver Driver2 { get; }

    public static async Task<TwoHostLab> CreateAsync()
    {
        var lab = new NetnsLab();
        try
        {
            var h1 = await lab.AddNamespaceAsync("h1");
            var h2 = await lab.AddNamespaceAsync("h2");
            await NetnsLab.RunAsync("ip", "-n", h1, "link", "add", "underlay0", "type", "veth", "peer", "name", "underlay0", "netns", h2);
            foreach (var (ns, address) in new[] { (h1, Underlay1), (h2, Underlay2) })
            {
                await NetnsLab.RunAsync("ip", "-n", ns, "link", "set", "underlay0", "mtu", "1600", "up");
                await NetnsLab.RunAsync("ip", "-n", ns, "addr", "add", address + "/24", "dev", "underlay0");
            }

            var hosts = new TwoHostLab(lab, h1, h2);
            lab.OnDispose(() =>
            {
                hosts.Driver1.Dispose();
                hosts.Driver2.Dispose();
                return Task.CompletedTask;
            });
            return hosts;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>The segment of VNI <paramref name="vni"/> as host 1 (<paramref name="onHost2"/>: host 2) sees it.</summary>
    public static SegmentSpec Segment(int vni, bool onHost2 = false) => new()
    {
        Bridge = HostObjectNames.Bridge(vni),
        Vxlan = HostObjectNames.Vxlan(vni),
        Vni = vni,
        Peers = [onHost2 ? Underlay1 : Underlay2],
    };

    /// <summary>Makes the segment on both hosts, deleted through the drivers on dispose.</summary>
    public async Task EnsureOnBothAsync(int vni)
    {
        Lab.OnDispose(async () =>
        {
            await Driver1.DeleteSegmentAsync(HostObjectNames.Bridge(vni), CancellationToken.None);
            await Driver2.DeleteSegmentAsync(HostObjectNames.Bridge(vni), CancellationToken.None);
        });
        await Driver1.EnsureSegmentAsync(Segment(vni), CancellationToken.None);
        await Driver2.EnsureSegmentAsync(Segment(vni, onHost2: true), CancellationToken.None);
    }

    /// <summary>A stand-in node on host 1 or 2 on the segment of <paramref name="vni"/>, at <paramref name="ip"/>/24.</summary>
    public Task<string> NodeAsync(bool onHost2, int vni, string suffix, string ip, int index) =>
        Lab.AddNodeAsync(onHost2 ? H2 : H1, HostObjectNames.Bridge(vni), suffix, string.Create(CultureInfo.InvariantCulture, $"52:54:00:{Lab.Tag[..2]}:{Lab.Tag[2..4]}:{index:x2}"), ip + "/24");

    public ValueTask DisposeAsync() => Lab.DisposeAsync();
}
