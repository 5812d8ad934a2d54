using System.Globalization;
using System.Security.Cryptography;
using Vcm.Agent.Linux.Network;
using Vcm.Domain.Naming;
using Vcm.Drivers.Network;

namespace Vcm.Agent.Tests.Linux.Compute;

/// <summary>
/// Three test hosts on one underlay (a bridge in the third, MTU 1600): <see cref="Source"/> and
/// <see cref="Destination"/> run VMs, <see cref="Third"/> serves iSCSI volumes; all three carry one cluster segment
/// over VXLAN (the real network driver), and a probe namespace sits on the segment at the third host
/// (<see cref="ProbeAddress"/>): a place that is neither end of a migration. Disposing it removes every host's
/// migration relay ends (through the drivers), every host (their QEMUs and tgtd by PID, namespaces, folders) and the probe.
/// </summary>
public sealed class MigrationLab : IAsyncDisposable
{
    public const string ProbeAddress = "10.77.0.3";

    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<LinuxNetworkDriver> _networks = [];

    private MigrationLab()
    {
    }

    public LinuxTestHost Source { get; private set; } = null!;

    public LinuxTestHost Destination { get; private set; } = null!;

    public LinuxTestHost Third { get; private set; } = null!;

    /// <summary>The namespace on the segment the probe's pings and TCP connections come from.</summary>
    public TestNamespace Probe { get; private set; } = null!;

    public int Vni { get; } = RandomNumberGenerator.GetInt32(1000, 9000);

    public string Bridge => HostObjectNames.Bridge(Vni);

    /// <summary>The real network driver of <paramref name="host"/> (source, destination or third): its segment, and relay ends.</summary>
    public LinuxNetworkDriver NetworkOf(LinuxTestHost host) =>
        _networks[new[] { Source, Destination, Third }.ToList().IndexOf(host)];

    public static async Task<MigrationLab> CreateAsync(TestGuest guest)
    {
        var lab = new MigrationLab();
        try
        {
            await lab.BuildAsync(await guest.StoreAsync(), guest);
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    private async Task BuildAsync(string store, TestGuest guest)
    {
        var net = RandomNumberGenerator.GetInt32(1, 250).ToString(CultureInfo.InvariantCulture);
        var namespaces = new List<TestNamespace>();
        for (var i = 0; i < 3; i++)
        {
            var ns = await TestNamespace.CreateAsync();
            _owned.Add(ns);
            namespaces.Add(ns);
        }

        var third = namespaces[2];
        await third.IpAsync("link", "add", "ul0", "type", "bridge");
        await third.IpAsync("link", "set", "ul0", "mtu", "1600", "up");
        await third.IpAsync("addr", "add", $"10.233.{net}.3/24", "dev", "ul0");
        for (var i = 0; i < 2; i++)
        {
            var peer = $"ul-{i}";
            await namespaces[i].IpAsync("link", "add", "ul0", "type", "veth", "peer", "name", peer, "netns", third.Name);
            await namespaces[i].IpAsync("link", "set", "ul0", "mtu", "1600", "up");
            await namespaces[i].IpAsync("addr", "add", $"10.233.{net}.{i + 1}/24", "dev", "ul0");
            await third.IpAsync("link", "set", peer, "mtu", "1600", "master", "ul0", "up");
        }

        var hosts = new List<LinuxTestHost>();
        for (var i = 0; i < 3; i++)
        {
            // the host owns its namespace from here on
            _owned.Remove(namespaces[i]);
            var host = await LinuxTestHost.CreateAsync(store, guest.Probe, namespaces[i], $"10.233.{net}.{i + 1}");
            _owned.Add(host);
            hosts.Add(host);
        }

        (Source, Destination, Third) = (hosts[0], hosts[1], hosts[2]);
        foreach (var host in hosts)
        {
            var network = new LinuxNetworkDriver(host.Context with { UnderlayMtu = 1600 });
            _networks.Add(network);
            await network.EnsureSegmentAsync(new SegmentSpec
            {
                Bridge = Bridge,
                Vxlan = HostObjectNames.Vxlan(Vni),
                Vni = Vni,
                Peers = hosts.Where(h => h != host).Select(h => h.Context.UnderlayAddress).ToList(),
            }, CancellationToken.None);
        }

        Probe = await TestNamespace.CreateAsync();
        _owned.Add(Probe);
        await Third.Namespace.IpAsync("link", "add", "vctprobe", "type", "veth", "peer", "name", "eth0", "netns", Probe.Name);
        await Third.Namespace.IpAsync("link", "set", "vctprobe", "mtu", "1500", "master", Bridge, "up");
        await Probe.IpAsync("link", "set", "eth0", "mtu", "1500", "up");
        await Probe.IpAsync("addr", "add", ProbeAddress + "/24", "dev", "eth0");
    }

    public async ValueTask DisposeAsync()
    {
        // relay ends are namespaces of their own (machine-wide): through the drivers, before the hosts go
        foreach (var network in _networks)
        {
            try
            {
                foreach (var relay in (await network.ListAsync(CancellationToken.None)).Relays)
                {
                    await network.DeleteMigrationRelayAsync(relay, CancellationToken.None);
                }
            }
            catch (Exception e) when (e is Vcm.Drivers.DriverException or IOException)
            {
                Console.Error.WriteLine($"migration lab: a relay end could not be deleted: {e.Message}");
            }
        }

        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        foreach (var network in _networks)
        {
            network.Dispose();
        }
    }
}
