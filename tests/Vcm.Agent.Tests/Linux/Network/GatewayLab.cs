using System.Diagnostics;
using System.Globalization;
using Vcm.Agent.Linux;
using Vcm.Agent.Linux.Network;
using Vcm.Domain.Naming;
using Vcm.Drivers;
using Vcm.Drivers.Network;
using Vcm.Drivers.Processes;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Network;

/// <summary>
/// A gateway host for traffic tests: namespace vct-TAG-host with the site's external bridge (vctext0) and, beyond it,
/// the outside world (vct-TAG-out: the router 198.18.0.1, serving /cgi-bin/whoami on :8080, which prints the caller's
/// address). On the host, through the Linux driver: cluster segment vcb300 (10.97.0.0/24) and gateway
/// vc-tTAG-gw at 10.97.0.1, external address 198.18.0.10. Stand-in nodes get their addresses by DHCP.
/// </summary>
public sealed class GatewayLab : IAsyncLifetime
{
    public const string ExternalBridge = "vctext0";
    public const string Router = "198.18.0.1";
    public const string ExternalAddress = "198.18.0.10";
    public const string Address = "10.97.0.1";
    public const int Vni = 300;

    private const string DhcpHook = """
        #!/bin/sh
        # udhcpc hook for stand-in nodes: record the lease, configure the address, route and MTU
        case "$1" in
          bound|renew)
            echo "ip=$ip mask=$mask router=$router dns=$dns domain=$domain mtu=$mtu hostname=$hostname" > "$LEASE_FILE"
            ip addr flush dev "$interface"
            ip addr add "$ip/$mask" dev "$interface"
            [ -n "$router" ] && ip route replace default via "$router" dev "$interface"
            [ -n "$mtu" ] && ip link set "$interface" mtu "$mtu"
            ;;
        esac
        exit 0
        """;

    private NetnsLab? _lab;
    private Task<string>? _node1;

    public NetnsLab Lab => _lab ?? throw new InvalidOperationException("not initialised");

    public string HostNs { get; private set; } = "";

    public string Outside { get; private set; } = "";

    public LinuxHostContext Context { get; private set; } = null!;

    public LinuxNetworkDriver Driver { get; private set; } = null!;

    public SegmentSpec Segment { get; private set; } = null!;

    public GatewaySpec Spec { get; private set; } = null!;

    public string GatewayDirectory => Context.Paths.Gateway(Spec.Name);

    public EnsureOutcome FirstOutcome { get; private set; }

    public TimeSpan SegmentTime { get; private set; }

    public TimeSpan GatewayTime { get; private set; }

    public async Task InitializeAsync()
    {
        if (RequiresNetworkAdminAttribute.Reason() is not null)
        {
            return;
        }

        _lab = new NetnsLab();
        await BuildHostAsync(_lab);
        Driver = new LinuxNetworkDriver(Context);
        Segment = new SegmentSpec { Bridge = HostObjectNames.Bridge(Vni), Vxlan = HostObjectNames.Vxlan(Vni), Vni = Vni };
        Spec = GatewaySpec(_lab.Tag, Segment.Bridge);
        _lab.OnDispose(async () =>
        {
            await Driver.DeleteGatewayAsync(Spec.Name, CancellationToken.None);
            await Driver.DeleteSegmentAsync(Segment.Bridge, CancellationToken.None);
            Driver.Dispose();
        });

        var clock = Stopwatch.StartNew();
        await Driver.EnsureSegmentAsync(Segment, CancellationToken.None);
        SegmentTime = clock.Elapsed;
        clock.Restart();
        FirstOutcome = await Driver.EnsureGatewayAsync(Spec, CancellationToken.None);
        GatewayTime = clock.Elapsed;
    }

    /// <summary>
    /// Makes the host and outside namespaces of <paramref name="lab"/> (the external bridge, the router, its whoami
    /// service) and sets <see cref="Context"/>; the lifecycle tests call it on a lab of their own.
    /// </summary>
    public async Task BuildHostAsync(NetnsLab lab)
    {
        HostNs = await lab.AddNamespaceAsync("host");
        Outside = await lab.AddNamespaceAsync("out");
        await NetnsLab.RunAsync("ip", "-n", HostNs, "link", "add", ExternalBridge, "type", "bridge");
        await NetnsLab.RunAsync("ip", "-n", HostNs, "link", "set", ExternalBridge, "up");
        await NetnsLab.RunAsync("ip", "-n", HostNs, "link", "add", "vctout", "type", "veth", "peer", "name", "eth0", "netns", Outside);
        await NetnsLab.RunAsync("ip", "-n", HostNs, "link", "set", "vctout", "master", ExternalBridge, "up");
        await NetnsLab.RunAsync("ip", "-n", Outside, "addr", "add", Router + "/24", "dev", "eth0");
        await NetnsLab.RunAsync("ip", "-n", Outside, "link", "set", "eth0", "up");

        var www = Path.Combine(lab.Folder, "outside-www");
        Directory.CreateDirectory(Path.Combine(www, "cgi-bin"));
        var whoami = Path.Combine(www, "cgi-bin", "whoami");
        await File.WriteAllTextAsync(whoami, "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n%s\\n' \"$REMOTE_ADDR\"\n");
        File.SetUnixFileMode(whoami, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        lab.Start(Outside, "busybox", "httpd", "-f", "-p", Router + ":8080", "-h", www);

        var data = Path.Combine(lab.Folder, "data");
        Directory.CreateDirectory(data);
        Context = new LinuxHostContext
        {
            HostName = HostNs,
            DataDirectory = data,
            Netns = HostNs,
            UnderlayAddress = "172.30.0.1",
            UnderlayMtu = 1600,
            VcmExecutable = MetadataStub.Write(lab.Folder),
            ImageStore = lab.Folder,
        };
        await File.WriteAllTextAsync(Path.Combine(lab.Folder, "dhcp-hook"), DhcpHook.Replace("\r", "", StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(Path.Combine(lab.Folder, "dhcp-hook"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public static string Mac(string tag, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"52:54:00:{tag[..2]}:{tag[2..4]}:{index:x2}");

    public static GatewayNode Node(string tag, int index, int sshPort = 0) => new(
        $"n{index}",
        Mac(tag, index),
        string.Create(CultureInfo.InvariantCulture, $"10.97.0.{10 + index}"),
        [$"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHZjbXRlc3RrZXkxMjM0NTY3ODkwYWJjZGVmZ2hpams n{index}"],
        UserScript: "echo hello",
        Token: $"token-of-n{index}",
        SshPort: sshPort);

    public static GatewaySpec GatewaySpec(string tag, string bridge) => new()
    {
        Name = $"vc-t{tag}-gw",
        Bridge = bridge,
        Subnet = "10.97.0.0/24",
        Address = Address,
        Domain = "democluster",
        Nodes = [Node(tag, 1, sshPort: 2201)],
        External = new ExternalAttachment(ExternalBridge, ExternalAddress + "/24", Router),
    };

    /// <summary>The lease node n1 got when it was made.</summary>
    public IReadOnlyDictionary<string, string> Node1Lease { get; private set; } = new Dictionary<string, string>();

    /// <summary>
    /// Node n1 (made at first use): its MAC is the spec's, its address came by DHCP, and it serves "node n1" on port
    /// 22 (busybox httpd standing in for its SSH server).
    /// </summary>
    public Task<string> Node1Async() => _node1 ??= MakeNode1Async();

    /// <summary>A stand-in node on the cluster's segment with <paramref name="mac"/> and no address yet.</summary>
    public Task<string> AddNodeAsync(string suffix, string mac) => Lab.AddNodeAsync(HostNs, Segment.Bridge, suffix, mac);

    /// <summary>Runs busybox udhcpc in <paramref name="ns"/>; the lease it got (ip, mask, router, dns, domain, mtu, hostname), or null.</summary>
    public static async Task<Dictionary<string, string>?> DhcpAsync(NetnsLab lab, string ns, int tries = 5)
    {
        var leaseFile = Path.Combine(lab.Folder, "lease-" + ns);
        var spec = new ProcessSpec("ip", ["netns", "exec", ns, "busybox", "udhcpc", "-i", "eth0", "-f", "-n", "-q", "-t", $"{tries}", "-T", "1", "-O", "mtu", "-s", Path.Combine(lab.Folder, "dhcp-hook")])
        {
            Environment = new Dictionary<string, string?> { ["LEASE_FILE"] = leaseFile },
            Timeout = TimeSpan.FromSeconds(60),
        };
        var result = await NetnsLab.Runner.RunAsync(spec, CancellationToken.None);
        if (!result.Succeeded || !File.Exists(leaseFile))
        {
            return null;
        }

        return (await File.ReadAllTextAsync(leaseFile)).Trim().Split(' ')
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "", StringComparer.Ordinal);
    }

    private async Task<string> MakeNode1Async()
    {
        var ns = await AddNodeAsync("n1", Spec.Nodes[0].Mac);
        Node1Lease = await DhcpAsync(Lab, ns) ?? throw new InvalidOperationException("node n1 got no DHCP lease");
        var www = Path.Combine(Lab.Folder, "n1-www");
        Directory.CreateDirectory(www);
        await File.WriteAllTextAsync(Path.Combine(www, "index.html"), "node n1\n");
        Lab.Start(ns, "busybox", "httpd", "-f", "-p", "0.0.0.0:22", "-h", www);
        return ns;
    }

    public async Task DisposeAsync()
    {
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }
    }
}
