using System.Globalization;
using System.Text.Json;
using Vcm.Agent.Linux;
using Vcm.Agent.Linux.Network;
using Vcm.Domain.Naming;
using Vcm.Drivers;
using Vcm.Drivers.Network;
using Vcm.Drivers.Processes;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Network;

/// <summary>
/// Two "sites" (namespaces vct-TAG-sa, -sb), each a gateway host with its own Linux network driver and the cluster's
/// segment (a bridge with no VXLAN peers), joined only by a WAN veth (172.16.77.1/30, .2/30, MTU 1500) and a second
/// one for a second WAN path (wan1, 172.16.78.1/30, .2/30), which an end of one path does not use: the VPN ends
/// are the one way between the two bridges. On dispose the VPN ends go through the drivers, any openvpn this lab saw
/// still running is stopped by PID, then the segments, namespaces and files go.
/// </summary>
public sealed class VpnLab : IAsyncDisposable
{
    public const string WanA = "172.16.77.1";
    public const string WanB = "172.16.77.2";
    public const string WanA2 = "172.16.78.1";
    public const string WanB2 = "172.16.78.2";
    public const int Port = 1194;
    public const string NodeA = "10.99.0.1";
    public const string NodeB = "10.99.0.2";

    private readonly List<(int Pid, string Marker)> _daemons = [];

    private VpnLab(NetnsLab lab, string siteA, string siteB, int vni)
    {
        Lab = lab;
        SiteA = siteA;
        SiteB = siteB;
        Vni = vni;
        ContextA = lab.HostContext(siteA, WanA, "data-a");
        ContextB = lab.HostContext(siteB, WanB, "data-b");
        DriverA = new LinuxNetworkDriver(ContextA);
        DriverB = new LinuxNetworkDriver(ContextB);
        Keys = VpnKeys.Create("vpn-lab", DateTimeOffset.UtcNow);
    }

    public NetnsLab Lab { get; }

    public string SiteA { get; }

    public string SiteB { get; }

    public int Vni { get; }

    public string Bridge => HostObjectNames.Bridge(Vni);

    public string Name => $"vc-{Lab.Tag}-vpn";

    public LinuxHostContext ContextA { get; }

    public LinuxHostContext ContextB { get; }

    public LinuxNetworkDriver DriverA { get; }

    public LinuxNetworkDriver DriverB { get; }

    /// <summary>The cluster's VPN keys.</summary>
    public VpnKeys.Keys Keys { get; }

    public static async Task<VpnLab> CreateAsync()
    {
        var lab = new NetnsLab();
        try
        {
            var siteA = await lab.AddNamespaceAsync("sa");
            var siteB = await lab.AddNamespaceAsync("sb");
            await NetnsLab.RunAsync("ip", "-n", siteA, "link", "add", "wan0", "type", "veth", "peer", "name", "wan0", "netns", siteB);
            await NetnsLab.RunAsync("ip", "-n", siteA, "link", "add", "wan1", "type", "veth", "peer", "name", "wan1", "netns", siteB);
            foreach (var (ns, link, address) in new[] { (siteA, "wan0", WanA), (siteB, "wan0", WanB), (siteA, "wan1", WanA2), (siteB, "wan1", WanB2) })
            {
                await NetnsLab.RunAsync("ip", "-n", ns, "addr", "add", address + "/30", "dev", link);
                await NetnsLab.RunAsync("ip", "-n", ns, "link", "set", link, "mtu", "1500", "up");
            }

            var sites = new VpnLab(lab, siteA, siteB, 0x200000 + Convert.ToInt32(lab.Tag[..4], 16));
            lab.OnDispose(async () =>
            {
                await sites.DriverA.DeleteSegmentAsync(sites.Bridge, CancellationToken.None);
                await sites.DriverB.DeleteSegmentAsync(sites.Bridge, CancellationToken.None);
                sites.DriverA.Dispose();
                sites.DriverB.Dispose();
            });
            lab.OnDispose(sites.StopLeftoversAsync);
            lab.OnDispose(async () =>
            {
                await sites.DriverA.DeleteVpnAsync(sites.Name, CancellationToken.None);
                await sites.DriverB.DeleteVpnAsync(sites.Name, CancellationToken.None);
            });
            var segment = new SegmentSpec { Bridge = sites.Bridge, Vxlan = HostObjectNames.Vxlan(sites.Vni), Vni = sites.Vni, Peers = [] };
            await sites.DriverA.EnsureSegmentAsync(segment, CancellationToken.None);
            await sites.DriverB.EnsureSegmentAsync(segment, CancellationToken.None);
            return sites;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>The server end at site A (with <paramref name="keys"/>: another cluster's).</summary>
    public VpnSpec Server(VpnKeys.Keys? keys = null) => Spec(server: true, keys ?? Keys);

    /// <summary>The client end at site B (with <paramref name="keys"/>: another cluster's).</summary>
    public VpnSpec Client(VpnKeys.Keys? keys = null) => Spec(server: false, keys ?? Keys);

    /// <summary>The same end with a second WAN path (wan1).</summary>
    public static VpnSpec WithSecondPath(VpnSpec spec) =>
        spec with { AlternatePaths = [spec.Server ? new VpnPath(WanA2, WanB2) : new VpnPath(WanB2, WanA2)] };

    /// <summary>The taps of this lab's VPN end at a site that are on the cluster bridge now (by name).</summary>
    public async Task<IReadOnlyList<string>> BridgedTapsAsync(string site) =>
        (await TapsAsync(site)).Where(t => t.TryGetProperty("master", out var m) && m.GetString() == Bridge)
            .Select(t => t.GetProperty("ifname").GetString()!).ToList();

    /// <summary>Ensures an end through its site's driver and notes its openvpn's PID, so dispose can stop it whatever happens.</summary>
    public async Task<EnsureOutcome> EnsureAsync(VpnSpec spec)
    {
        var context = spec.Server ? ContextA : ContextB;
        try
        {
            return await (spec.Server ? DriverA : DriverB).EnsureVpnAsync(spec, CancellationToken.None);
        }
        finally
        {
            Noticed(context);
        }
    }

    /// <summary>Notes the PID of a site's openvpn (started by an ensure or a revive), so dispose can stop it whatever happens.</summary>
    public void Noticed(LinuxHostContext context)
    {
        if (Pid(context) is { } pid)
        {
            _daemons.Add((pid, Marker(context)));
        }

        // an end of several paths: path p's openvpn-p.pid and --config …/openvpn-p.conf
        for (var path = 2; path <= 8; path++)
        {
            var file = Path.Combine(Folder(context), $"openvpn-{path.ToString(CultureInfo.InvariantCulture)}.pid");
            if (File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var other))
            {
                _daemons.Add((other, "--config " + Path.Combine(Folder(context), $"openvpn-{path.ToString(CultureInfo.InvariantCulture)}.conf")));
            }
        }
    }

    /// <summary>Both ends with the cluster's keys.</summary>
    public async Task EnsureBothAsync()
    {
        await EnsureAsync(Server());
        await EnsureAsync(Client());
    }

    /// <summary>A stand-in node on each site's bridge: 10.99.0.1 at A, 10.99.0.2 at B.</summary>
    public async Task<(string A, string B)> NodesAsync()
    {
        var a = await Lab.AddNodeAsync(SiteA, Bridge, "na", Mac(1), NodeA + "/24");
        var b = await Lab.AddNodeAsync(SiteB, Bridge, "nb", Mac(2), NodeB + "/24");
        return (a, b);
    }

    public string Mac(int index) => string.Create(CultureInfo.InvariantCulture, $"52:54:00:{Lab.Tag[..2]}:{Lab.Tag[2..4]}:{index:x2}");

    /// <summary>Kills (SIGKILL) the openvpn of a site's end by the PID in its PID file and waits until it is gone; answers that PID.</summary>
    public async Task<int> KillOpenvpnAsync(LinuxHostContext context)
    {
        var pid = Pid(context) ?? throw new InvalidOperationException($"no openvpn PID file in {Folder(context)}");
        Assert.True(Daemons.IsProcess(pid, Marker(context)), $"openvpn {pid} was not running");
        Signals.ForceKill(pid);
        Assert.True(await NetnsLab.EventuallyAsync(() => Task.FromResult(!Daemons.IsProcess(pid, Marker(context)))), $"openvpn {pid} did not die");
        return pid;
    }

    /// <summary>The PID in the end's PID file (whether or not that process still runs).</summary>
    public int? Pid(LinuxHostContext context)
    {
        var file = Path.Combine(Folder(context), "openvpn.pid");
        var text = File.Exists(file) ? File.ReadAllText(file).Trim() : null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    /// <summary>Text the command line of the end's openvpn holds.</summary>
    public string Marker(LinuxHostContext context) => "--config " + Path.Combine(Folder(context), "openvpn.conf");

    public string Folder(LinuxHostContext context) => context.Paths.Vpn(Name);

    /// <summary>The log of the site's openvpn.</summary>
    public string Log(LinuxHostContext context) => Path.Combine(Folder(context), "openvpn.log");

    /// <summary>True once the site's openvpn has logged <paramref name="text"/> (false if it does not within the handshake's time, 18 s).</summary>
    public Task<bool> LoggedAsync(LinuxHostContext context, string text) =>
        NetnsLab.EventuallyAsync(
            async () => File.Exists(Log(context)) && (await File.ReadAllTextAsync(Log(context))).Contains(text, StringComparison.Ordinal),
            attempts: 60,
            pauseMs: 300);

    /// <summary>The links of <paramref name="site"/> whose alias marks them as this lab's VPN end, with their details.</summary>
    public async Task<List<JsonElement>> TapsAsync(string site)
    {
        var output = (await NetnsLab.RunAsync("ip", "-n", site, "-j", "-d", "link", "show")).StandardOutput;
        using var document = JsonDocument.Parse(output);
        return document.RootElement.EnumerateArray()
            .Where(l => l.TryGetProperty("ifalias", out var alias) && alias.GetString() == "vcm-vpn:" + Name)
            .Select(l => l.Clone())
            .ToList();
    }

    public ValueTask DisposeAsync() => Lab.DisposeAsync();

    private VpnSpec Spec(bool server, VpnKeys.Keys keys) => new()
    {
        Name = Name,
        Bridge = Bridge,
        Server = server,
        Local = server ? WanA : WanB,
        Remote = server ? WanB : WanA,
        // the two ends use different ports, as at two sites that each pick their own
        Port = server ? Port : Port + 1,
        RemotePort = server ? Port + 1 : Port,
        CaCertificate = keys.CaCertificate,
        Certificate = server ? keys.ServerCertificate : keys.ClientCertificate,
        PrivateKey = server ? keys.ServerKey : keys.ClientKey,
        TlsCryptKey = keys.TlsCryptKey,
    };

    /// <summary>Stops, by PID, any openvpn this lab started that the drivers' deletes left running.</summary>
    private async Task StopLeftoversAsync()
    {
        foreach (var (pid, marker) in _daemons.Distinct())
        {
            if (Daemons.IsProcess(pid, marker))
            {
                Signals.ForceKill(pid);
                await NetnsLab.EventuallyAsync(() => Task.FromResult(!Daemons.IsProcess(pid, marker)));
            }
        }
    }

}
