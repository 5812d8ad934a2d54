using Vcm.Agent.Linux;
using Vcm.Agent.Linux.Compute;
using Vcm.Agent.Linux.Images;
using Vcm.Agent.Linux.Storage;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Hosts;
using Vcm.Drivers.Images;
using Vcm.Drivers.Network;
using Vcm.Drivers.Processes;
using Vcm.Drivers.Storage;
using Vcm.Testing;
using Xunit;

namespace Vcm.Agent.Tests.Linux;

/// <summary>
/// A host for tests: a throwaway namespace as "the host", a temporary data folder, and the real compute, image and
/// storage drivers over them (segments are bare bridges, see <see cref="BridgeNetworkDriver"/>). Disposing it
/// stops, by PID, every QEMU and the tgtd it started, removes tgtd's socket, the namespace (with every link in it)
/// and the folder — also after a failed test.
/// </summary>
public sealed class LinuxTestHost : IHostDrivers, IAsyncDisposable
{
    private readonly TempDirectory _data;

    private LinuxTestHost(TestNamespace ns, TempDirectory data, LinuxHostContext context, KvmProbe probe)
    {
        Namespace = ns;
        _data = data;
        Context = context;
        Probe = probe;
        Qemu = NewCompute();
        Tgt = new TgtStorageDriver(context);
        Qcow = new QcowImageDriver(context);
        Network = new BridgeNetworkDriver(ns);
        Facts = new HostFacts { Name = context.HostName, Cpus = Environment.ProcessorCount, MemoryMb = 1024, DiskMb = 1024, Address = context.UnderlayAddress, Driver = "linux", Roles = ["compute", "storage"] };
    }

    public TestNamespace Namespace { get; }

    public LinuxHostContext Context { get; }

    public KvmProbe Probe { get; }

    public QemuComputeDriver Qemu { get; }

    public TgtStorageDriver Tgt { get; }

    public QcowImageDriver Qcow { get; }

    public HostFacts Facts { get; }

    public IComputeDriver Compute => Qemu;

    public INetworkDriver Network { get; }

    public IStorageDriver Storage => Tgt;

    public IImageDriver Images => Qcow;

    /// <summary>
    /// A host in a new namespace. Without <paramref name="ns"/> and <paramref name="address"/>, the namespace is made
    /// here and gets an underlay address of its own on a dummy link.
    /// </summary>
    public static async Task<LinuxTestHost> CreateAsync(string imageStore, KvmProbe probe, TestNamespace? ns = null, string? address = null)
    {
        ns ??= await TestNamespace.CreateAsync();
        try
        {
            address ??= await ns.AddLocalAddressAsync();
        }
        catch
        {
            await ns.DisposeAsync();
            throw;
        }

        var data = new TempDirectory("vct-host");
        var context = new LinuxHostContext
        {
            HostName = ns.Name,
            DataDirectory = data.Path,
            Netns = ns.Name,
            UnderlayAddress = address,
            VcmExecutable = RepoPaths.Cli,
            ImageStore = imageStore,
        };
        return new LinuxTestHost(ns, data, context, probe);
    }

    /// <summary>Another compute driver over the same host folder: what an agent restarted on this host would make.</summary>
    public QemuComputeDriver NewCompute() => new(Context, Probe, new QemuComputeOptions { PowerdownGrace = TimeSpan.Zero });

    public string VmFolder(string vm) => Context.Paths.Vm(vm);

    /// <summary>The PID of the VM's QEMU as its PID file says (whether or not it still runs).</summary>
    public int VmPid(string vm) => int.Parse(File.ReadAllText(Path.Combine(VmFolder(vm), "pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Kills the VM's QEMU from outside the driver (SIGKILL by PID) and waits until it is gone.</summary>
    public async Task KillVmAsync(string vm)
    {
        var pid = VmPid(vm);
        var marker = Path.Combine(VmFolder(vm), "qmp.sock");
        Assert.True(Daemons.IsProcess(pid, marker), $"VM {vm}'s QEMU (pid {pid}) does not run");
        Assert.True(Signals.ForceKill(pid));
        for (var i = 0; i < 3000 && Daemons.IsProcess(pid, marker); i++) // up to 30 s: a loaded machine frees a big guest slowly
        {
            await Task.Delay(10);
        }

        Assert.False(Daemons.IsProcess(pid, marker), $"VM {vm}'s QEMU (pid {pid}) outlived SIGKILL");
    }

    /// <summary>Polls the VM's console until it holds <paramref name="text"/> (at least <paramref name="times"/> times).</summary>
    public async Task<string> WaitForConsoleAsync(string vm, string text, int times = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        string console;
        do
        {
            console = await Compute.ConsoleAsync(vm, 1 << 20, CancellationToken.None) ?? "";
            if (Count(console, text) >= times)
            {
                return console;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"VM {vm}'s console did not show '{text}' {times}×; it holds:\n{console}");
    }

    public static int Count(string text, string part)
    {
        var n = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Directory.Exists(Context.Paths.Vms))
            {
                foreach (var dir in Directory.GetDirectories(Context.Paths.Vms))
                {
                    await Context.Daemons.StopAsync(Path.Combine(dir, "pid"), Path.Combine(dir, "qmp.sock"), TimeSpan.FromSeconds(1), CancellationToken.None);
                }
            }

            await Tgt.StopAsync(CancellationToken.None);
        }
        finally
        {
            await Namespace.DisposeAsync();
            _data.Dispose();
        }
    }
}
