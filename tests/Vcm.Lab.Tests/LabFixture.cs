using System.Globalization;
using Vcm.Api;
using Vcm.Drivers.Processes;
using Vcm.Testing;
using Xunit;

namespace Vcm.Lab.Tests;

/// <summary>
/// `vcm up --lab 1x3` as a user runs it: its own process, used through the CLI. Stopped with SIGTERM at the end
/// (which releases every cluster and removes the lab); `vcm down` takes over if that fails.
/// </summary>
public class LabFixture : IAsyncLifetime
{
    public static readonly string[] Hosts = ["a1", "a2", "a3"];

    private readonly TempDirectory _data = new("vcm-lab");
    private readonly string _shape;
    private readonly string[] _extra;

    public LabFixture()
        : this("1x3", Hosts)
    {
    }

    protected LabFixture(string shape, IReadOnlyList<string> hosts, params string[] extra)
    {
        _shape = shape;
        HostNames = hosts;
        _extra = extra;
    }

    /// <summary>The lab's hosts (site letter + number).</summary>
    public IReadOnlyList<string> HostNames { get; }

    public VcmProcess Up { get; private set; } = null!;

    public VcmCli Cli { get; private set; } = null!;

    public string KeyFile => _data.Combine("tenant", "id_ed25519");

    public string PublicKeyFile => KeyFile + ".pub";

    public string DataDirectory => _data.Path;

    /// <summary>The hosts' inventory when the lab was fresh, before any cluster.</summary>
    public IReadOnlyList<HostInventory> Fresh { get; private set; } = [];

    public IReadOnlyList<string> FreshNamespaces { get; private set; } = [];

    public static string ImageStore => Path.Combine(RepoPaths.Root, "artifacts", "test-images");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(KeyFile)!);
        (await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "tenant@lab-test", "-f", KeyFile), CancellationToken.None)).EnsureSuccess();
        Cli = new VcmCli($"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}", _data.Path);
        await StartUpAsync();
        Fresh = await InventoryAsync();
        FreshNamespaces = await GatewayNamespacesAsync();
    }

    /// <summary>Starts (or, after a kill, resumes) `vcm up --lab 1x3` and waits until the lab is ready.</summary>
    public async Task StartUpAsync()
    {
        Up = VcmProcess.Start(Cli.Environment, ["up", "--lab", _shape, "--data", _data.Path, "--listen", Cli.Server, "--images", ImageStore, .. _extra]);
        await Up.WaitForLineAsync("Ctrl-C releases every cluster", TimeSpan.FromMinutes(15));
    }

    public async Task DisposeAsync()
    {
        await Up.StopAsync();
        if (File.Exists(Path.Combine(_data.Path, "lab", "lab.json")))
        {
            await Cli.RunAsync("down", "--data", _data.Path);
        }

        _data.Dispose();
    }

    public Task<ProcessResult> SshAsync(string cluster, string node, string command) =>
        Cli.RunAsync("ssh", cluster, node, "--identity", KeyFile, "--", command);

    public async Task<ClusterView> CreateAsync(string name, params string[] args) =>
        await Cli.JsonAsync<ClusterView>(["cluster", "create", name, "--ssh-key", PublicKeyFile, "--wait", "--timeout", "15m", .. args]);

    /// <summary>The lab's gateway namespaces (vc-…), as the machine lists them.</summary>
    public static async Task<IReadOnlyList<string>> GatewayNamespacesAsync()
    {
        var list = await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("ip", "netns", "list"), CancellationToken.None);
        return list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0])
            .Where(n => n.StartsWith("vc-", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Each host's links, processes, vcm files, nft rules and iSCSI targets, read off the machine.</summary>
    public async Task<IReadOnlyList<HostInventory>> InventoryAsync()
    {
        var list = new List<HostInventory>();
        foreach (var host in HostNames)
        {
            var netns = $"vcl-{host}";
            var links = (await Run("ip", "-n", netns, "-o", "link", "show")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split(':')[1].Trim().Split('@')[0]).Order(StringComparer.Ordinal).ToList();
            var processes = new List<string>();
            foreach (var pid in (await Run("ip", "netns", "pids", netns)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var comm = Path.Combine("/proc", pid.Trim(), "comm");
                if (File.Exists(comm))
                {
                    processes.Add((await File.ReadAllTextAsync(comm)).Trim());
                }
            }

            var data = Path.Combine(_data.Path, "lab", "hosts", host);
            var files = new[] { "disks", "vms", "gateways", "volumes", "vpns" }
                .Select(d => Path.Combine(data, d))
                .Where(Directory.Exists)
                .SelectMany(d => Directory.EnumerateFileSystemEntries(d, "*", SearchOption.AllDirectories))
                .Select(f => Path.GetRelativePath(data, f)).Order(StringComparer.Ordinal).ToList();
            var nft = (await Run("ip", "netns", "exec", netns, "nft", "list", "ruleset")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            var targets = new List<string>();
            var agentJson = Path.Combine(data, "agent.json");
            if (File.Exists(agentJson))
            {
                var mgmt = 254 - (host[0] - 'a');
                using var inspector = new AgentInspector($"http://192.168.{mgmt}.{10 + int.Parse(host[1..], CultureInfo.InvariantCulture)}:9700", data);
                targets.AddRange((await inspector.InventoryAsync()).SelectMany(h => h.Volumes).Select(v => $"{v.Target}/{v.Lun}"));
            }

            list.Add(new HostInventory(host, links, processes.Order(StringComparer.Ordinal).ToList(), files, nft, targets));
        }

        return list;
    }

    private static async Task<string> Run(string file, params string[] args) =>
        (await ProcessRunner.Instance.RunAsync(new ProcessSpec(file, args), CancellationToken.None)).StandardOutput;
}
