using Vcm.Api;
using Vcm.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Vcm.EndToEnd.Tests;

/// <summary>
/// The manager or the agent is killed with SIGKILL at random moments while clusters are provisioned and released,
/// and started again each time. Every cluster must converge, and the hosts must hold exactly the desired VMs:
/// none made twice, none leaked.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Kills = 20;
    private readonly TempDirectory _root = new("vcm-e2e-crash");
    private readonly Random _random = new(20261122);
    private VcmCli _cli = null!;
    private string _agentUrl = "";
    private string _agentData = "";
    private VcmProcess? _manager;
    private VcmProcess? _agent;

    public async Task InitializeAsync()
    {
        _cli = new VcmCli($"http://127.0.0.1:{FreePort.Next()}", _root.Combine("manager"));
        _agentUrl = $"http://127.0.0.1:{FreePort.Next()}";
        _agentData = _root.Combine("agent");
        await StartManagerAsync();
        var token = (await _cli.JsonAsync<JoinTokenView>("host", "token")).Token!;
        StartAgent(token);
        _joinToken = token;
        await WaitForHostsAsync();
    }

    private string _joinToken = "";

    public async Task DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        if (_manager is not null)
        {
            await _manager.DisposeAsync();
        }

        _root.Dispose();
    }

    [Fact]
    public async Task ManagerKilledAtRandom_EveryClusterConverges_NoVmTwiceNoneLeaked()
    {
        var expected = new Dictionary<string, string>();
        for (var kill = 0; kill < Kills; kill++)
        {
            await ChurnAsync(kill, expected);
            await Task.Delay(_random.Next(100, 1200));
            await _manager!.KillAsync();
            output.WriteLine($"kill {kill + 1}: manager killed");
            await StartManagerAsync();
        }

        await AssertConvergedAsync(expected);
    }

    [Fact]
    public async Task AgentKilledAtRandom_EveryClusterConverges_NoVmTwiceNoneLeaked()
    {
        var expected = new Dictionary<string, string>();
        for (var kill = 0; kill < Kills; kill++)
        {
            await ChurnAsync(kill, expected);
            await Task.Delay(_random.Next(100, 1200));
            await _agent!.KillAsync();
            output.WriteLine($"kill {kill + 1}: agent killed");
            await Task.Delay(_random.Next(0, 500));
            StartAgent(_joinToken);
        }

        await AssertConvergedAsync(expected);
    }

    /// <summary>Each round creates a cluster, and every third round deletes an older one: work always in flight.</summary>
    private async Task ChurnAsync(int round, Dictionary<string, string> expected)
    {
        var name = $"c{round:00}";
        var result = await _cli.RunAsync("cluster", "create", name, "--workers", (2 + round % 4).ToString(System.Globalization.CultureInfo.InvariantCulture), "--policy", round % 2 == 0 ? "spread" : "pack", "--for", "2h");
        if (result.ExitCode == 0)
        {
            expected[name] = "Ready";
        }
        else
        {
            // The manager may have been just killed: then the create either landed or not; find out.
            var show = await _cli.RunAsync("cluster", "show", name, "--output", "json");
            Assert.True(show.ExitCode is 0 or 3 or 5, $"create {name}: {result.StandardError}");
            if (show.ExitCode == 0)
            {
                expected[name] = "Ready";
            }
        }

        if (round % 3 == 2)
        {
            var victim = $"c{round - 2:00}";
            if (expected.ContainsKey(victim) && (await _cli.RunAsync("cluster", "delete", victim)).ExitCode == 0)
            {
                expected[victim] = "Released";
            }
        }
    }

    private async Task AssertConvergedAsync(Dictionary<string, string> expected)
    {
        Assert.True(expected.Count >= Kills * 2 / 3, $"only {expected.Count} clusters were created");
        foreach (var (name, phase) in expected)
        {
            await _cli.WaitForPhaseAsync(name, phase, TimeSpan.FromSeconds(120));
        }

        var clusters = new List<ClusterView>();
        foreach (var name in expected.Where(e => e.Value == "Ready").Select(e => e.Key))
        {
            clusters.Add(await _cli.ShowAsync(name));
        }

        var desired = clusters
            .SelectMany(c => c.Nodes!.Select(n => $"vc-{c.Id[^12..]}-{n.Name}@{n.Host}"))
            .Order(StringComparer.Ordinal).ToList();
        using var inspector = new AgentInspector(_agentUrl, _agentData);
        var inventory = await inspector.InventoryAsync();
        var actual = inventory.SelectMany(h => h.Vms.Select(v => $"{v.Name}@{h.Host}")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(desired, actual);
        Assert.All(await inspector.CreationsAsync(), kv => Assert.True(kv.Value == 1, $"{kv.Key} was created {kv.Value} times"));

        var disks = inventory.Sum(h => h.Disks.Count);
        Assert.Equal(desired.Count, disks);
        Assert.Equal(clusters.Count, inventory.Sum(h => h.Gateways.Count));
        output.WriteLine($"{clusters.Count} ready clusters, {desired.Count} VMs, {expected.Count(e => e.Value == "Released")} released");
    }

    private async Task StartManagerAsync()
    {
        _manager = VcmProcess.Start(_cli.Environment, "manager", "--data", _cli.DataDirectory, "--listen", _cli.Server);
        await _cli.WaitUntilUpAsync(process: _manager);
    }

    private void StartAgent(string token) =>
        _agent = VcmProcess.Start(
            _cli.Environment,
            "agent", "--sim", "4", "--sim-prefix", "h", "--sim-cpus", "32", "--sim-latency-ms", "20",
            "--sim-state", Path.Combine(_agentData, "sim"), "--data", _agentData,
            "--listen", _agentUrl, "--join", _cli.Server, "--token-file", TokenFile(token));

    /// <summary>The join token in a file only its owner reads, as `vcm up` hands it to its agent.</summary>
    private string TokenFile(string token)
    {
        var file = Path.Combine(_agentData, "join-token");
        Directory.CreateDirectory(_agentData);
        File.WriteAllText(file, token);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return file;
    }

    private async Task WaitForHostsAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var hosts = await _cli.JsonAsync<List<HostView>>("host", "list");
            if (hosts.Count == 4)
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the agent's hosts never joined");
    }
}
