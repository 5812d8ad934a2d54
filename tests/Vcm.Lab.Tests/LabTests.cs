using System.Globalization;
using Vcm.Api;
using Vcm.Drivers.Processes;
using Vcm.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Vcm.Lab.Tests;

/// <summary>
/// Real clusters on `vcm up --lab 1x3`: QEMU VMs on three namespace hosts, VXLAN segments, gateways with DHCP,
/// DNS, NAT and metadata, an iSCSI shared volume. Tests read the fixture's clusters c1 and c2 and change nothing of
/// them; a test that kills or crashes something makes clusters of its own, and when it ends, pass or fail, releases
/// them and checks that their release left nothing on any host (<see cref="OwnClusters"/>). So the tests pass in
/// any order and alone.
/// </summary>
public sealed partial class LabTests(OneSiteLabFixture lab, ITestOutputHelper output) : IClassFixture<OneSiteLabFixture>, IAsyncLifetime
{
    private readonly OwnClusters _own = new(lab);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _own.ReleaseAsync();

    [Fact]
    public async Task TwoClustersOnOneSubnet_EachIsOneNetwork_AndTheyAreIsolated()
    {
        var c1 = await lab.Cli.ShowAsync("c1");
        var c2 = await lab.Cli.ShowAsync("c2");
        Assert.Equal([OneSiteLabFixture.Subnet, OneSiteLabFixture.Subnet], new[] { c1.Subnet, c2.Subnet });
        Assert.True(c1.Nodes!.Select(n => n.Host).Distinct().Count() >= 2, "c1's nodes should span hosts");
        Assert.All(c1.Nodes!.Concat(c2.Nodes!), n => Assert.Equal("ready", n.State));

        // Every node of a cluster reaches every other, across hosts (VXLAN), and resolves their names.
        foreach (var cluster in new[] { c1, c2 })
        {
            var ips = string.Join(' ', cluster.Nodes!.Select(n => n.Ip));
            foreach (var node in cluster.Nodes!)
            {
                var pings = await lab.SshAsync(cluster.Name, node.Name,
                    $"for ip in {ips}; do ping -c 1 -W 5 $ip >/dev/null 2>&1 || echo FAIL $ip; done; echo DONE");
                Assert.True(pings.ExitCode == 0 && pings.StandardOutput.Contains("DONE", StringComparison.Ordinal) && !pings.StandardOutput.Contains("FAIL", StringComparison.Ordinal),
                    $"{cluster.Name}/{node.Name}: {pings.StandardOutput}{pings.StandardError}");
            }
        }

        var names = await lab.SshAsync("c1", "head", "nslookup node-02; nslookup node-03.c1");
        Assert.True(names.ExitCode == 0, names.StandardError + names.StandardOutput);
        Assert.Contains(c1.Nodes!.Single(n => n.Name == "node-02").Ip!, names.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(c1.Nodes!.Single(n => n.Name == "node-03").Ip!, names.StandardOutput, StringComparison.Ordinal);

        // Through NAT to the site's external network (its router lives in the lab's external namespace, which has
        // no route back to the cluster's subnet: only NAT makes the reply come back).
        var nat = await lab.SshAsync("c1", "node-01", "ping -c 2 -W 5 172.31.254.1 && echo NAT-OK");
        Assert.Contains("NAT-OK", nat.StandardOutput, StringComparison.Ordinal);

        // Isolation: c2's node-04 (10.77.0.14) has no twin in c1, so from c1 it is unreachable; and whatever c1's
        // head learned by ARP are c1's own MACs only.
        var cross = await lab.SshAsync("c1", "head", "ping -c 2 -W 3 10.77.0.14 >/dev/null 2>&1 && echo REACHED || echo ISOLATED; cat /proc/net/arp");
        Assert.Contains("ISOLATED", cross.StandardOutput, StringComparison.Ordinal);
        var c1Macs = c1.Nodes!.Select(n => n.Mac).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var c2Node in c2.Nodes!)
        {
            Assert.DoesNotContain(c2Node.Mac, cross.StandardOutput, StringComparison.OrdinalIgnoreCase);
        }

        var twin = await lab.SshAsync("c2", "node-04", "ping -c 1 -W 5 10.77.0.10 >/dev/null; cat /proc/net/arp");
        var c2Head = c2.Nodes!.Single(n => n.Name == "head").Mac;
        Assert.Contains(c2Head, twin.StandardOutput, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(c1.Nodes!.Single(n => n.Name == "head").Mac, twin.StandardOutput, StringComparison.OrdinalIgnoreCase);
        output.WriteLine($"c1 MACs {string.Join(",", c1Macs)}; c2 head {c2Head}");
    }

    [Fact]
    public async Task TransparencySuite_OnAClusterOfOneSite()
    {
        await Transparency.CheckAsync(lab, await lab.Cli.ShowAsync("c1"));
    }

    [Fact]
    public async Task VcmSsh_RunsTheCommandOnTheNode_WithTheTenantKey()
    {
        var result = await lab.SshAsync("c1", "node-02", "hostname");
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal("node-02", result.StandardOutput.Trim());

        var exit = await lab.SshAsync("c1", "node-02", "exit 7");
        Assert.Equal(7, exit.ExitCode);
        // the key vcm ssh pinned is the one vcm made for the node, and the node answered with it
        Assert.DoesNotContain(await lab.Cli.JsonAsync<List<EventView>>("cluster", "events", "c1"), e => e.Reason == "HostKeyMismatch");
    }

    [Fact]
    public async Task NoProcessOnAnyLabHost_HoldsANodeTokenOrAnAgentSecretInItsArguments_AndTheNodesBootAndPhoneHome()
    {
        var clusters = new[] { await lab.Cli.ShowAsync("c1"), await lab.Cli.ShowAsync("c2") };
        var nodes = clusters.SelectMany(c => c.Nodes!).ToList();
        Assert.All(nodes, n => Assert.Equal("ready", n.State));
        Assert.All(nodes, n => Assert.False(string.IsNullOrEmpty(n.HostKeyFingerprint), $"{n.Name} never phoned home"));

        // the secrets as the agents hold them: each VM's token file (what QEMU hands the guest), each agent's key and join token
        var hosts = Path.Combine(lab.DataDirectory, "lab", "hosts");
        var tokens = Directory.EnumerateFiles(hosts, "token", SearchOption.AllDirectories).Where(f => Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(f))) == "vms").ToList();
        Assert.True(tokens.Count >= nodes.Count, $"{tokens.Count} token files for {nodes.Count} nodes");
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in tokens)
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            secrets[(await File.ReadAllTextAsync(file)).Trim()] = file;
        }

        foreach (var host in lab.HostNames)
        {
            using var identity = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(hosts, host, "agent.json")));
            secrets[identity.RootElement.GetProperty("key").GetString()!] = $"{host}'s agent key";
            secrets[(await File.ReadAllTextAsync(Path.Combine(hosts, host, "join-token"))).Trim()] = $"{host}'s join token";
        }

        Assert.DoesNotContain("", secrets.Keys);
        var seen = 0;
        foreach (var proc in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            string cmdline;
            try
            {
                cmdline = await File.ReadAllTextAsync(Path.Combine(proc, "cmdline"));
            }
            catch (IOException)
            {
                continue; // the process ended meanwhile
            }

            seen += cmdline.Contains("qemu-system", StringComparison.Ordinal) ? 1 : 0;
            foreach (var (secret, whose) in secrets)
            {
                Assert.False(cmdline.Contains(secret, StringComparison.Ordinal), $"{whose} is in the arguments of {proc}: {cmdline.Replace('\0', ' ')}");
            }
        }

        Assert.True(seen >= nodes.Count, $"{seen} QEMU processes for {nodes.Count} nodes");
        output.WriteLine($"{secrets.Count} secrets, none in the arguments of any process ({seen} QEMU)");
    }

    [Fact]
    public async Task TheHead_SeesTheSharedVolume_WithTheRequestedSize()
    {
        var result = await lab.SshAsync("c1", "head", "cat /sys/block/vd*/size");
        Assert.True(result.ExitCode == 0, result.StandardError);
        var sizes = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => long.Parse(l.Trim(), CultureInfo.InvariantCulture)).ToList();
        Assert.Contains(64L * 1024 * 1024 / 512, sizes);
    }

    [Fact]
    public async Task DebianCluster_WithPackages_BootsDebian12_FromALayerBuiltOnce_WithSshDnsAndTheWholeDisk()
    {
        // A package the archive does not have is refused at create, named, and nothing is reserved.
        var refused = await lab.Cli.RunAsync("cluster", "create", "deb0", "--workers", "1", "--image", "debian-12", "--packages", "hello,vcm-no-such-package", "-o", "json");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("vcm-no-such-package", refused.StandardOutput + refused.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(await lab.Cli.JsonAsync<List<ClusterView>>("cluster", "list", "--all"), c => c.Name == "deb0");

        await _own.AddAsync("deb1");
        var deb1 = await lab.CreateAsync("deb1", "--image", "debian-12", "--packages", "hello,jq", "--install", "layer", "--workers", "1", "--policy", "spread", "--disk", "3G");
        await _own.AssertOnHostsAsync(deb1);
        Assert.All(deb1.Nodes!, n => Assert.Equal("ready", n.State));
        var events = await lab.Cli.JsonAsync<List<EventView>>("cluster", "events", "deb1");
        Assert.Contains(events, e => e.Reason == "LayerReady" && e.Message.Contains("debian-12.pk-", StringComparison.Ordinal));
        Assert.DoesNotContain(events, e => e.Reason == "SetupIncomplete");
        Assert.DoesNotContain(events, e => e.Reason == "HostKeyMismatch"); // sshd answers with the key vcm made (vcm ssh below pins it)

        var release = await lab.SshAsync("deb1", "node-01", "cat /etc/debian_version; . /etc/os-release; echo $VERSION_CODENAME; cat /etc/vcm/image; hello; echo '{\"a\":7}' | jq .a");
        Assert.True(release.ExitCode == 0, release.StandardError);
        var lines = release.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("12.", lines[0], StringComparison.Ordinal);
        Assert.Equal("bookworm", lines[1]);
        Assert.Contains("image=debian-12", lines);
        Assert.Contains("Hello, world!", lines);
        Assert.Equal("7", lines[^1]);

        // the node's root is its own disk, grown to the size asked for; the head resolves the worker by name
        var disk = await lab.SshAsync("deb1", "node-01", "findmnt -n -o SOURCE /; df -B1M --output=size / | tail -1; hostname");
        Assert.True(disk.ExitCode == 0, disk.StandardError);
        var facts = disk.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToList();
        Assert.Equal("/dev/vda", facts[0]);
        Assert.InRange(long.Parse(facts[1], CultureInfo.InvariantCulture), 2800, 3072);
        Assert.Equal("node-01", facts[2]);
        var resolve = await lab.SshAsync("deb1", "head", "getent hosts node-01; hello");
        Assert.True(resolve.ExitCode == 0, resolve.StandardError);
        Assert.Contains(deb1.Nodes!.Single(n => n.Name == "node-01").Ip!, resolve.StandardOutput, StringComparison.Ordinal);

        // Another cluster asking for the same set (in another order) boots from the same layer, built once. Its tenant
        // asks for a file where the image has a file, not a folder: the head comes up and says what it could not do.
        var note = Path.Combine(lab.DataDirectory, "note.txt");
        await System.IO.File.WriteAllTextAsync(note, "a note\n");
        await _own.AddAsync("deb2");
        var deb2 = await lab.CreateAsync("deb2", "--image", "debian-12", "--packages", "jq,hello", "--install", "layer", "--workers", "1", "--disk", "2G",
            "--file", $"{note}:/etc/hostname/note.txt");
        var second = await lab.Cli.JsonAsync<List<EventView>>("cluster", "events", "deb2");
        var incomplete = Assert.Single(second, e => e.Reason == "SetupIncomplete");
        Assert.Equal("Warning", incomplete.Type);
        Assert.StartsWith("head is up, but its set-up is incomplete: file /etc/hostname/note.txt could not be written", incomplete.Message, StringComparison.Ordinal);
        var layer = events.Single(e => e.Reason == "LayerReady").Message.Split(' ')[1];
        Assert.Contains(second, e => e.Reason == "LayerReady" && e.Message.Contains(layer, StringComparison.Ordinal) && e.Message.Contains("built already", StringComparison.Ordinal));
        var hello = await lab.SshAsync("deb2", "head", "hello");
        Assert.True(hello.ExitCode == 0, hello.StandardError);
        Assert.Equal("Hello, world!", hello.StandardOutput.Trim());

        // The store lists the layer over its parent with both clusters; it cannot be removed while they live.
        var mine = (await lab.Cli.JsonAsync<List<ImageView>>("image", "list")).Single(i => i.Name == layer);
        Assert.Equal("debian-12", mine.Parent);
        Assert.Equal(["hello", "jq"], mine.Requested);
        Assert.Equal(2, mine.LiveClusters);
        var busy = await lab.Cli.RunAsync("image", "rm", layer);
        Assert.NotEqual(0, busy.ExitCode);
        Assert.Contains("in use", busy.StandardError, StringComparison.Ordinal);
        var notALayer = await lab.Cli.RunAsync("image", "rm", "debian-12");
        Assert.Contains("not a layer", notALayer.StandardError, StringComparison.Ordinal);
        await lab.ReleaseAsync(["deb1", "deb2"]);
        var removed = await lab.Cli.RunAsync("image", "rm", layer);
        Assert.True(removed.ExitCode == 0, removed.StandardError);
        Assert.DoesNotContain(await lab.Cli.JsonAsync<List<ImageView>>("image", "list"), i => i.Name == layer);
    }

    [Fact]
    public async Task DebianCluster_InstallBoot_NodesInstallHelloAndJqAtBoot_FromTheSitesPackageCacheThroughTheGateway()
    {
        await _own.AddAsync("debi");
        var debi = await lab.CreateAsync("debi", "--image", "debian-12", "--packages", "hello,jq", "--install", "boot", "--workers", "1", "--disk", "2G");
        Assert.All(debi.Nodes!, n => Assert.Equal("ready", n.State));
        Assert.Equal(Vcm.Domain.Clusters.InstallMode.Boot, debi.Spec.Install);
        var events = await lab.Cli.JsonAsync<List<EventView>>("cluster", "events", "debi");
        Assert.Contains(events, e => e.Reason == "InstallAtBoot" && e.Message.Contains("BaseInstall", StringComparison.Ordinal));
        Assert.DoesNotContain(events, e => e.Reason == "LayerBuilding");
        Assert.Equal(2, events.Count(e => e.Reason == "PackagesInstalled" && e.Type == "Normal"));

        foreach (var node in new[] { "head", "node-01" })
        {
            var run = await lab.SshAsync("debi", node, "hello; echo '{\"a\":7}' | jq .a; cat /etc/apt/sources.list.d/vcm.list");
            Assert.True(run.ExitCode == 0, run.StandardError);
            Assert.Contains("Hello, world!", run.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("7", run.StandardOutput.Split('\n'));
            Assert.Contains("/apt/debian bookworm main", run.StandardOutput, StringComparison.Ordinal);
        }

        await lab.ReleaseAsync(["debi"]);
    }

    [Fact]
    public async Task SlurmCluster_OfDebianNodes_RunsJobsAndMpiAcrossNodes_WithHomeAndSharedOverNfs_AndTheTenantsFile()
    {
        // A role a micro cluster cannot have is refused at create, and nothing is reserved.
        var refused = await lab.Cli.RunAsync("cluster", "create", "hpc0", "--workers", "1", "--role", "slurm", "-o", "json");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("role", refused.StandardOutput + refused.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(await lab.Cli.JsonAsync<List<ClusterView>>("cluster", "list", "--all"), c => c.Name == "hpc0");

        // So is a disk smaller than the image's root file system, naming both.
        var small = await lab.Cli.RunAsync("cluster", "create", "hpc1", "--workers", "1", "--image", "debian-12", "--disk", "1G");
        Assert.NotEqual(0, small.ExitCode);
        Assert.Contains("needs a disk of at least 1536 MiB", small.StandardError, StringComparison.Ordinal);

        var source = await SlurmCluster.WriteHelloAsync(lab);
        await _own.AddAsync("hpc");
        var hpc = await lab.CreateAsync(
            "hpc", "--image", "debian-12", "--role", "slurm", "--packages", SlurmCluster.Packages, "--install", "layer", "--workers", "2",
            "--memory", "1G", "--disk", "3G", "--shared", "64M", "--policy", "spread", "--file", $"{source}:{SlurmCluster.HelloPath}");
        await _own.AssertOnHostsAsync(hpc);
        Assert.All(hpc.Nodes!, n => Assert.Equal("ready", n.State));

        await SlurmCluster.CheckAsync(lab, hpc);
        var node = await lab.SshAsync("hpc", "head", "scontrol show node node-01 | grep -o 'CPUTot=[0-9]*\\|RealMemory=[0-9]*'");
        Assert.Equal(["CPUTot=1", "RealMemory=896"], SlurmCluster.Lines(node.StandardOutput));

        // the shared volume is the head's /shared, and every worker's over NFS
        var write = await lab.SshAsync("hpc", "node-01", $"echo {hpc.Id} > /shared/from-node-01");
        Assert.True(write.ExitCode == 0, write.StandardError);
        var read = await lab.SshAsync("hpc", "node-02", "cat /shared/from-node-01; ssh head findmnt -n -o SOURCE /shared");
        Assert.Equal([hpc.Id, "/dev/vdb"], SlurmCluster.Lines(read.StandardOutput));
    }

    [Fact]
    public async Task VmKilledFromOutside_IsNoticed_Restarted_DegradedThenReady()
    {
        await _own.AddAsync("d1");
        var d1 = await lab.CreateAsync("d1", OneSiteLabFixture.LikeC1);
        await _own.AssertOnHostsAsync(d1);
        var victim = d1.Nodes!.Single(n => n.Name == "node-02");
        var vmName = $"vc-{d1.Id[^12..]}-node-02";
        var pidFile = Path.Combine(lab.DataDirectory, "lab", "hosts", victim.Host, "vms", vmName, "pid");
        var pid = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), CultureInfo.InvariantCulture);
        Assert.True(Signals.ForceKill(pid), $"could not kill qemu pid {pid}");

        await lab.Cli.WaitForPhaseAsync("d1", "Degraded", TimeSpan.FromSeconds(60));
        await lab.Cli.WaitForPhaseAsync("d1", "Ready", TimeSpan.FromMinutes(5));
        var events = await lab.Cli.JsonAsync<List<EventView>>("cluster", "events", "d1");
        Assert.Contains(events, e => e.Reason == "Degraded" && e.Message.Contains("node-02", StringComparison.Ordinal));
        var again = await lab.SshAsync("d1", "node-02", "hostname");
        Assert.True(again.ExitCode == 0, $"ssh to the restarted node-02 failed ({again.ExitCode}): {again.StandardError}");
        Assert.Equal("node-02", again.StandardOutput.Trim());
    }

    [Fact]
    public async Task AgentAndManagerKilledDuringProvisioning_TheClusterConverges_ExactlyTheDesiredVms()
    {
        await _own.AddAsync("c3");
        var created = await lab.Cli.JsonAsync<ClusterView>("cluster", "create", "c3", "--workers", "3", "--policy", "spread", "--ssh-key", lab.PublicKeyFile);
        Assert.Equal("Scheduled", created.Phase);
        var agentPid = int.Parse(await File.ReadAllTextAsync(Path.Combine(lab.DataDirectory, "lab", "hosts", "a2", "agent.pid")), CultureInfo.InvariantCulture);
        Signals.ForceKill(agentPid);
        await lab.Up!.KillAsync();

        await lab.StartUpAsync();
        await lab.Cli.WaitForPhaseAsync("c3", "Ready", TimeSpan.FromMinutes(10));

        // Every VM on the hosts belongs to a node of a live cluster, and every such node has exactly one VM.
        var live = await lab.Cli.JsonAsync<List<ClusterView>>("cluster", "list");
        Assert.Contains(live, c => c.Name == "c3");
        var clusters = new List<ClusterView>();
        foreach (var cluster in live)
        {
            clusters.Add(await lab.Cli.ShowAsync(cluster.Name));
        }

        var desired = clusters.SelectMany(c => c.Nodes!.Select(n => $"vc-{c.Id[^12..]}-{n.Name}@{n.Host}")).Order(StringComparer.Ordinal).ToList();
        var actual = new List<string>();
        foreach (var host in lab.HostNames)
        {
            var vms = Path.Combine(lab.DataDirectory, "lab", "hosts", host, "vms");
            actual.AddRange(Directory.Exists(vms) ? Directory.EnumerateDirectories(vms).Select(d => $"{Path.GetFileName(d)}@{host}") : []);
        }

        Assert.Equal(desired, actual.Order(StringComparer.Ordinal).ToList());
        var qemus = (await lab.InventoryAsync()).Sum(h => h.Processes.Count(p => p.StartsWith("qemu", StringComparison.Ordinal)));
        Assert.Equal(desired.Count, qemus);
    }
}
