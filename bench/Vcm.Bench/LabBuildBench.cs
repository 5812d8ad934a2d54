using System.Diagnostics;
using System.Globalization;
using Vcm.Agent.Linux;
using Vcm.Agent.Linux.Compute;
using Vcm.Agent.Linux.Images;
using Vcm.Agent.Linux.Network;
using Vcm.Agent.Metadata;
using Vcm.Api;
using Vcm.Domain.Clusters;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Images;
using Vcm.Drivers.Network;
using Vcm.Testing;

namespace Vcm.Bench;

/// <summary>
/// A head and 8 workers on `vcm up --lab 1x3`, create → Ready, against the floor: the same 9 micro guests started
/// by hand with QEMU on the same three hosts (3 each), with a segment and gateway made beforehand, until every
/// guest has phoned home — the same point at which vcm calls a node ready. Rounds alternate, in one run.
/// </summary>
public sealed class LabBuildBench(int rounds)
{
    private static readonly string[] Hosts = ["a1", "a2", "a3"];

    public async Task<IReadOnlyList<string>> RunAsync()
    {
        using var data = new TempDirectory("vcm-bench-lab");
        var (cli, up) = await BenchLab.StartAsync(data);
        await using var _ = up;
        var floor = new Floor(data.Combine("floor"), Path.Combine(BenchLab.Images, "micro"));
        await floor.PrepareAsync();
        var floorTimes = new List<double>();
        var vcmTimes = new List<double>();
        try
        {
            for (var round = 0; round < rounds; round++)
            {
                floorTimes.Add(await floor.BootAsync());
                vcmTimes.Add(await VcmAsync(cli, $"b{round}"));
                Console.Error.WriteLine($"bench: round {round + 1}: floor {floorTimes[^1]:0.00} s, vcm {vcmTimes[^1]:0.00} s");
            }
        }
        finally
        {
            await floor.DisposeAsync();
        }

        var f = Median(floorTimes);
        var v = Median(vcmTimes);
        return
        [
            $"| QEMU alone: 9 micro guests started on 3 hosts until all phoned home (median of {rounds}) | {f:0.00} s ({string.Join(", ", floorTimes.Select(t => t.ToString("0.00", CultureInfo.InvariantCulture)))}) |",
            $"| vcm: cluster of head + 8 workers (spread), create → Ready (median of {rounds}) | {v:0.00} s ({string.Join(", ", vcmTimes.Select(t => t.ToString("0.00", CultureInfo.InvariantCulture)))}) |",
            $"| ratio vcm / QEMU alone | **{v / f:0.00}** |",
        ];
    }

    private static async Task<double> VcmAsync(VcmCli cli, string name)
    {
        using var client = VcmClient.Create(cli.Server, File.ReadAllText(Path.Combine(cli.DataDirectory, "admin.token")).Trim());
        var watch = Stopwatch.StartNew();
        await client.CreateClusterAsync(new ClusterSpecInput { Name = name, Workers = 8, Policy = "spread" }, CancellationToken.None);
        while ((await client.GetClusterAsync(name, nodes: false, CancellationToken.None)).Phase != "Ready")
        {
            await Task.Delay(50);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        await client.DeleteClusterAsync(name, CancellationToken.None);
        while ((await client.GetClusterAsync(name, nodes: false, CancellationToken.None)).Phase != "Released")
        {
            await Task.Delay(200);
        }

        return seconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>The by-hand baseline: the same drivers vcm's agents use, driven directly, with nothing but QEMU timed.</summary>
    private sealed class Floor(string root, string image) : IAsyncDisposable
    {
        private const int Vni = 4000;
        private const string Subnet = "10.250.0.0/24";
        private readonly Dictionary<string, (LinuxHostContext Context, QemuComputeDriver Compute, LinuxNetworkDriver Network, QcowImageDriver Images)> _hosts = [];
        private readonly List<(string Host, VmSpec Vm, GatewayNode Node)> _vms = [];

        public async Task PrepareAsync()
        {
            var index = 0;
            foreach (var host in Hosts)
            {
                var context = new LinuxHostContext
                {
                    HostName = $"floor-{host}",
                    DataDirectory = Path.Combine(root, host),
                    Netns = $"vcl-{host}",
                    UnderlayAddress = $"192.168.254.{11 + index++}",
                    UnderlayMtu = 1600,
                    VcmExecutable = RepoPaths.Cli,
                    ImageStore = Path.GetDirectoryName(image)!,
                };
                _hosts[host] = (context, new QemuComputeDriver(context, KvmProbe.ForHost(context)), new LinuxNetworkDriver(context), new QcowImageDriver(context));
            }

            var addresses = Hosts.Select(h => _hosts[h].Context.UnderlayAddress).ToList();
            foreach (var host in Hosts)
            {
                var (context, _, network, images) = _hosts[host];
                await network.EnsureSegmentAsync(new SegmentSpec
                {
                    Bridge = $"vcb{Vni}", Vxlan = $"vcx{Vni}", Vni = Vni, Peers = addresses.Where(a => a != context.UnderlayAddress).ToList(),
                }, CancellationToken.None);
                await images.EnsureImageAsync("micro", CancellationToken.None);
                var micro = new ImageCache(context.Paths.Images).Current("micro")!;
                await KvmProbe.ForHost(context).IsUsableAsync(Path.Combine(micro, "vmlinuz"), Path.Combine(micro, "initrd.gz"), CancellationToken.None);
            }

            for (var i = 0; i < 9; i++)
            {
                var host = Hosts[i % 3];
                var name = i == 0 ? "head" : $"node-{i:00}";
                var token = Guid.NewGuid().ToString("N");
                var mac = $"52:54:fe:00:00:{i + 1:x2}";
                var node = new GatewayNode(name, mac, $"10.250.0.{10 + i}", [], null, token);
                var disk = $"vcfloor-{name}.qcow2";
                await _hosts[host].Images.EnsureDiskAsync(new DiskSpec(disk, "micro", 2048), CancellationToken.None);
                _vms.Add((host, new VmSpec
                {
                    Name = $"vcfloor-{name}", Cpus = 1, MemoryMb = 512, Disk = disk, Mac = mac, Bridge = $"vcb{Vni}", Hostname = name,
                    GuestArgs = new Dictionary<string, string> { ["vm.name"] = name, ["vm.token"] = token },
                }, node));
            }

            await _hosts["a1"].Network.EnsureGatewayAsync(Gateway, CancellationToken.None);
        }

        private GatewaySpec Gateway => new()
        {
            Name = "vcfloor-gw", Bridge = $"vcb{Vni}", Subnet = Subnet, Address = "10.250.0.1", Domain = "floor",
            Nodes = _vms.Select(v => v.Node).ToList(),
        };

        /// <summary>Starts the 9 VMs (hosts in parallel) and waits until all phoned home; returns the seconds that took.</summary>
        public async Task<double> BootAsync()
        {
            var reports = Path.Combine(_hosts["a1"].Context.Paths.Gateway("vcfloor-gw"));
            foreach (var (_, vm, node) in _vms)
            {
                GatewayFiles.DeleteReport(reports, node.Name);
            }

            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Hosts.Select(async host =>
            {
                foreach (var (_, vm, _) in _vms.Where(v => v.Host == host))
                {
                    await _hosts[host].Compute.EnsureVmAsync(vm, CancellationToken.None);
                }
            }));
            while ((await GatewayFiles.ReadReportsAsync(reports, CancellationToken.None)).Count < _vms.Count)
            {
                if (watch.Elapsed > TimeSpan.FromMinutes(5))
                {
                    throw new TimeoutException("the floor's guests did not all phone home");
                }

                await Task.Delay(50);
            }

            var seconds = watch.Elapsed.TotalSeconds;
            foreach (var (host, vm, _) in _vms)
            {
                await _hosts[host].Compute.DeleteVmAsync(vm.Name, CancellationToken.None);
            }

            return seconds;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var (host, vm, _) in _vms)
            {
                await _hosts[host].Compute.DeleteVmAsync(vm.Name, CancellationToken.None);
                await _hosts[host].Images.DeleteDiskAsync(vm.Disk, CancellationToken.None);
            }

            await _hosts["a1"].Network.DeleteGatewayAsync("vcfloor-gw", CancellationToken.None);
            foreach (var host in Hosts)
            {
                await _hosts[host].Network.DeleteSegmentAsync($"vcb{Vni}", CancellationToken.None);
                _hosts[host].Network.Dispose();
            }
        }
    }
}
