using System.Security.Cryptography;
using Vcm.Drivers.Processes;
using Vcm.Testing;

namespace Vcm.Agent.Tests.Linux.Micro;

/// <summary>
/// A throwaway cluster segment for booting guests: a "host" namespace (bridge, taps, QEMU) and a "gateway"
/// namespace on the bridge (dnsmasq with fixed leases, the real `vcm metadata` process), both named vct-ID-*.
/// Everything it makes — namespaces (and with them every link in them), processes (stopped by PID), files — is
/// removed on dispose, whatever happened before. Traffic stays inside these namespaces.
/// </summary>
public sealed class BootLab : IAsyncDisposable
{
    public const string Subnet = "10.77.0.0";
    public const string GatewayIp = "10.77.0.1";

    private readonly List<IRunningProcess> _processes = [];
    private readonly List<string> _namespaces = [];
    private readonly Dictionary<IRunningProcess, List<string>> _output = [];
    private readonly string _id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
    private bool _metadataStarted;

    private BootLab()
    {
    }

    public TempDirectory Files { get; } = new("vct-boot");

    public string HostNs => $"vct-{_id}-h";

    public string GatewayNs => $"vct-{_id}-g";

    public string GatewayDir => Files.Combine("gateway");

    public string MetadataLog => Files.Combine("metadata.log");

    private string MetadataPid => Files.Combine("metadata.pid");

    /// <summary>The running `vcm metadata` process, if any.</summary>
    public int? MetadataProcessId => Daemons.RunningPid(MetadataPid, MetadataMarker);

    private string MetadataMarker => $"metadata --dir {GatewayDir}";

    public static async Task<BootLab> CreateAsync(CancellationToken cancellationToken)
    {
        var lab = new BootLab();
        try
        {
            await lab.BuildAsync(cancellationToken);
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>dnsmasq in the gateway namespace: a fixed lease per MAC, the gateway as router, the MTU (option 26).</summary>
    public void StartDnsmasq(IEnumerable<(string Mac, string Ip, string Name)> leases, int mtu)
    {
        string[] args =
        [
            "netns", "exec", GatewayNs, "dnsmasq", "--no-daemon", "--conf-file=/dev/null", "-u", "root", "--port=0",
            "--interface=eth0", "--bind-interfaces", $"--dhcp-range={Subnet},static,255.255.255.0,1h",
            $"--dhcp-option=option:router,{GatewayIp}", $"--dhcp-option=option:mtu,{mtu}",
            $"--dhcp-leasefile={Files.Combine("dnsmasq.leases")}", "--log-dhcp", "--log-facility=-",
            .. leases.Select(l => $"--dhcp-host={l.Mac},{l.Ip},{l.Name}"),
        ];
        Start(new ProcessSpec("ip", args));
    }

    /// <summary>The real `vcm metadata` in the gateway namespace, started as the network driver starts it (a daemon).</summary>
    public async Task StartMetadataAsync(CancellationToken cancellationToken)
    {
        _metadataStarted = true;
        var spec = new DaemonSpec(RepoPaths.Cli, ["metadata", "--dir", GatewayDir, "--listen", $"http://{GatewayIp}:80"], MetadataPid, MetadataLog, MetadataMarker)
        {
            Netns = GatewayNs,
        };
        await new Daemons(ProcessRunner.Instance).StartAsync(spec, cancellationToken);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(File.Exists(MetadataLog) && (await File.ReadAllTextAsync(MetadataLog, cancellationToken)).Contains("listening on", StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline || Daemons.RunningPid(MetadataPid, MetadataMarker) is null)
            {
                throw new InvalidOperationException($"vcm metadata did not start listening: {Daemons.Tail(MetadataLog)}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>A tap on the bridge and QEMU (TCG) on it in the host namespace, booting the image's kernel directly.</summary>
    /// <param name="token">The node's token, handed over as vcm's agent does: the fw_cfg item opt/vcm/token from a 0600 file.</param>
    public async Task<IRunningProcess> StartVmAsync(MicroImageFixture image, string name, string mac, string append, string token, CancellationToken cancellationToken)
    {
        var tokenFile = Files.Combine($"{name}.token");
        await File.WriteAllTextAsync(tokenFile, token, cancellationToken);
        File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var tap = $"t-{name}";
        await IpAsync(["-n", HostNs, "tuntap", "add", "dev", tap, "mode", "tap"], cancellationToken);
        await IpAsync(["-n", HostNs, "link", "set", tap, "master", "br0", "up"], cancellationToken);
        string[] nic = ["-netdev", $"tap,id=n0,ifname={tap},script=no,downscript=no", "-device", $"virtio-net-pci,netdev=n0,mac={mac},romfile="];
        return Start(new ProcessSpec("ip", ["netns", "exec", HostNs, .. Qemu(image, Files.Combine($"{name}.console"), append), "-fw_cfg", $"name=opt/vcm/token,file={tokenFile}", .. nic]));
    }

    /// <summary>QEMU's arguments for the micro image under TCG, with virtio-rng and the serial console in a file.</summary>
    public static string[] Qemu(MicroImageFixture image, string console, string append) =>
    [
        "qemu-system-x86_64", "-accel", "tcg", "-m", "256", "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
        "-kernel", image.Kernel, "-initrd", image.Initrd, "-append", append,
        "-serial", $"file:{console}", "-device", "virtio-rng-pci",
    ];

    /// <summary>Runs a program in the gateway namespace (where the nodes' addresses are reachable).</summary>
    public Task<ProcessResult> InGatewayAsync(IReadOnlyList<string> command, CancellationToken cancellationToken) =>
        ProcessRunner.Instance.RunAsync(new ProcessSpec("ip", ["netns", "exec", GatewayNs, .. command]) { Timeout = TimeSpan.FromSeconds(30) }, cancellationToken);

    /// <summary>What the lab's processes printed and the consoles say, for a failing test's message.</summary>
    public string Diagnostics()
    {
        var parts = new List<string>();
        foreach (var (process, lines) in _output)
        {
            lock (lines)
            {
                parts.Add($"--- {process.Spec.Arguments.ElementAtOrDefault(3)} (pid {process.Pid}, exit {process.ExitCode?.ToString() ?? "running"}):\n{string.Join('\n', lines.TakeLast(40))}");
            }
        }

        foreach (var console in Directory.GetFiles(Files.Path, "*.console"))
        {
            parts.Add($"--- {Path.GetFileName(console)}:\n{File.ReadAllText(console)}");
        }

        parts.Add($"--- metadata log:\n{Daemons.Tail(MetadataLog, 4000)}");
        return string.Join('\n', parts);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.StopAsync(TimeSpan.FromSeconds(5));
            process.Dispose();
        }

        if (_metadataStarted)
        {
            await new Daemons(ProcessRunner.Instance).StopAsync(MetadataPid, MetadataMarker, TimeSpan.FromSeconds(5), CancellationToken.None);
        }

        foreach (var ns in _namespaces)
        {
            await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("ip", "netns", "del", ns), CancellationToken.None);
        }

        Files.Dispose();
    }

    private async Task BuildAsync(CancellationToken cancellationToken)
    {
        foreach (var ns in new[] { HostNs, GatewayNs })
        {
            await IpAsync(["netns", "add", ns], cancellationToken);
            _namespaces.Add(ns);
            await IpAsync(["-n", ns, "link", "set", "lo", "up"], cancellationToken);
        }

        await IpAsync(["-n", HostNs, "link", "add", "br0", "type", "bridge"], cancellationToken);
        await IpAsync(["-n", HostNs, "link", "set", "br0", "up"], cancellationToken);
        await IpAsync(["-n", HostNs, "link", "add", "gw0", "type", "veth", "peer", "name", "eth0", "netns", GatewayNs], cancellationToken);
        await IpAsync(["-n", HostNs, "link", "set", "gw0", "master", "br0", "up"], cancellationToken);
        await IpAsync(["-n", GatewayNs, "addr", "add", $"{GatewayIp}/24", "dev", "eth0"], cancellationToken);
        await IpAsync(["-n", GatewayNs, "link", "set", "eth0", "up"], cancellationToken);
        Directory.CreateDirectory(GatewayDir);
    }

    private IRunningProcess Start(ProcessSpec spec)
    {
        var lines = new List<string>();
        var process = ProcessRunner.Instance.Start(spec, line =>
        {
            lock (lines)
            {
                lines.Add(line);
            }
        });
        _processes.Add(process);
        _output[process] = lines;
        return process;
    }

    private static async Task IpAsync(IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        (await ProcessRunner.Instance.RunAsync(new ProcessSpec("ip", args) { Timeout = TimeSpan.FromSeconds(30) }, cancellationToken)).EnsureSuccess();
}
