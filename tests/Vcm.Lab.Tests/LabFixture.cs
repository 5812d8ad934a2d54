using System.Globalization;
using Vcm.Api;
using Vcm.Drivers.Processes;
using Vcm.Testing;
using Xunit;

namespace Vcm.Lab.Tests;

/// <summary>
/// `vcm up --lab SHAPE` as a user runs it: its own process, used through the CLI, with the clusters its tests share
/// built once at the start (tests only read those; a test that changes or releases clusters makes its own). Stopped
/// with SIGTERM at the end (which releases every cluster and removes the lab); `vcm down` takes over if that fails.
/// </summary>
public abstract class LabFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new("vcm-lab");
    private readonly string _shape;
    private readonly string[] _extra;

    protected LabFixture(string shape, IReadOnlyList<string> hosts, params string[] extra)
    {
        _shape = shape;
        HostNames = hosts;
        _extra = extra;
    }

    /// <summary>The site <see cref="Cli"/> talks to: the home of the clusters the tests make.</summary>
    public const string HomeSite = "a";

    /// <summary>The lab's hosts (site letter + number).</summary>
    public IReadOnlyList<string> HostNames { get; }

    public VcmProcess? Up { get; private set; }

    public VcmCli Cli { get; private set; } = null!;

    public string KeyFile => _data.Combine("tenant", "id_ed25519");

    public string PublicKeyFile => KeyFile + ".pub";

    public string DataDirectory => _data.Path;

    public static string ImageStore => Path.Combine(RepoPaths.Root, "artifacts", "test-images");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(KeyFile)!);
        (await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "tenant@lab-test", "-f", KeyFile), CancellationToken.None)).EnsureSuccess();
        Cli = new VcmCli($"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}", _data.Path);
        await StartUpAsync();
        await CreateSharedClustersAsync();
    }

    /// <summary>Starts (or, after a kill, resumes) `vcm up --lab` and waits until the lab is ready.</summary>
    public async Task StartUpAsync()
    {
        Up = VcmProcess.Start(Cli.Environment, ["up", "--lab", _shape, "--data", _data.Path, "--listen", Cli.Server, "--images", ImageStore, .. _extra]);
        await Up.WaitForLineAsync("Ctrl-C releases every cluster", TimeSpan.FromMinutes(15));
    }

    /// <summary>Resumes the lab if a test killed `vcm up` and did not get to start it again.</summary>
    public async Task EnsureUpAsync()
    {
        if (Up is null || Up.HasExited)
        {
            await StartUpAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (Up is not null)
        {
            await Up.StopAsync();
        }

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

    /// <summary>
    /// Deletes the clusters and waits until each is Released: what a test made is gone before the next test starts.
    /// Returns them as they are then; a name that was never made is skipped.
    /// </summary>
    public async Task<IReadOnlyList<ClusterView>> ReleaseAsync(IReadOnlyCollection<string> names)
    {
        foreach (var name in names)
        {
            await Cli.RunAsync("cluster", "delete", name);
        }

        const int notFound = 3; // the CLI's exit code for a cluster it does not know
        var released = new List<ClusterView>();
        foreach (var name in names)
        {
            if ((await Cli.RunAsync("cluster", "show", name)).ExitCode != notFound)
            {
                released.Add(await Cli.WaitForPhaseAsync(name, "Released", TimeSpan.FromMinutes(5)));
            }
        }

        return released;
    }

    /// <summary>Builds the clusters every test of the class may read (and none may change).</summary>
    protected abstract Task CreateSharedClustersAsync();

    /// <summary>The lab's gateway namespaces (vc-…), as the machine lists them.</summary>
    public static async Task<IReadOnlyList<string>> GatewayNamespacesAsync()
    {
        var list = await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("ip", "netns", "list"), CancellationToken.None);
        return list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0])
            .Where(n => n.StartsWith("vc-", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Every host's inventory and the gateway namespaces, read off the machine now.</summary>
    public async Task<LabSnapshot> SnapshotAsync() => new(await InventoryAsync(), await GatewayNamespacesAsync());

    /// <summary>
    /// Each host's links, processes, vcm files, nft rules and iSCSI targets, read off the machine. Processes are those
    /// that live on their own in the host's namespace: the agent's momentary commands (an `ip` while it watches a live
    /// cluster) and processes that end while being read are not counted.
    /// </summary>
    public async Task<IReadOnlyList<HostInventory>> InventoryAsync()
    {
        var list = new List<HostInventory>();
        foreach (var host in HostNames)
        {
            var netns = $"vcl-{host}";
            var links = (await Run("ip", "-n", netns, "-o", "link", "show")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split(':')[1].Trim().Split('@')[0]).Order(StringComparer.Ordinal).ToList();
            var data = Path.Combine(_data.Path, "lab", "hosts", host);
            var agentPidFile = Path.Combine(data, "agent.pid");
            var agent = File.Exists(agentPidFile) ? int.Parse((await File.ReadAllTextAsync(agentPidFile)).Trim(), CultureInfo.InvariantCulture) : 0;
            var processes = new List<string>();
            foreach (var line in (await Run("ip", "netns", "pids", netns)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var pid = int.Parse(line.Trim(), CultureInfo.InvariantCulture);
                if (!HostProcess.DescendsFrom(pid, agent) && HostProcess.Name(pid) is { } name)
                {
                    processes.Add(name);
                }
            }

            var files = new[] { "disks", "vms", "gateways", "volumes", "vpns" }
                .Select(d => Path.Combine(data, d))
                .Where(Directory.Exists)
                .SelectMany(d => Directory.EnumerateFileSystemEntries(d, "*", SearchOption.AllDirectories))
                .Select(f => Path.GetRelativePath(data, f)).Order(StringComparer.Ordinal).ToList();
            var nft = (await Run("ip", "netns", "exec", netns, "nft", "list", "ruleset")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            var targets = new List<string>();
            if (File.Exists(Path.Combine(data, "agent.json")))
            {
                var mgmt = 254 - (host[0] - 'a');
                using var inspector = new AgentInspector($"https://192.168.{mgmt}.{10 + int.Parse(host[1..], CultureInfo.InvariantCulture)}:9700", data);
                targets.AddRange((await inspector.InventoryAsync()).SelectMany(h => h.Volumes).Select(v => $"{v.Target}/{v.Lun}"));
            }

            list.Add(new HostInventory(host, links, processes.Order(StringComparer.Ordinal).ToList(), files, nft, targets));
        }

        return list;
    }

    private static async Task<string> Run(string file, params string[] args) =>
        (await ProcessRunner.Instance.RunAsync(new ProcessSpec(file, args), CancellationToken.None)).StandardOutput;
}
