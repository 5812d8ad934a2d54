using System.Diagnostics;
using Vcm.Agent.Linux.Compute;
using Vcm.Drivers;
using Vcm.Drivers.Compute;
using Vcm.Drivers.Images;
using Vcm.Drivers.Network;
using Vcm.Drivers.Processes;
using Vcm.Drivers.Storage;
using Vcm.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Vcm.Agent.Tests.Linux.Compute;

/// <summary>What the QEMU driver does beyond the conformance suite: real boots, deaths, re-adoption, the KVM probe, iSCSI.</summary>
[Collection(LinuxHostCollection.Name)]
[RequiresLinuxHost]
public sealed class QemuComputeDriverTests(TestGuest guest, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly LinuxTestNames _names = new();
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(5));

    private CancellationToken Ct => _timeout.Token;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        _timeout.Dispose();
    }

    [HostFact]
    public async Task EnsureVm_BootsTheImage_GuestPrintsItsMarkerWithTheGuestArgs_AndGetsItsTokenOffTheCommandLine()
    {
        var host = await HostAsync();
        var spec = await PrepareAsync(host);

        var started = Stopwatch.StartNew();
        var ensured = await host.Compute.EnsureVmAsync(spec, Ct);
        var ensureTime = started.Elapsed;
        var console = await host.WaitForConsoleAsync(spec.Name, $"{TestGuest.BootMarker} name=n1");

        output.WriteLine($"EnsureVm {ensureTime.TotalSeconds:0.00} s, ensure → console marker {started.Elapsed.TotalSeconds:0.00} s (image build {guest.BuildTime.TotalSeconds:0.0} s, shared KVM probe {guest.ProbeTime.TotalSeconds:0.0} s: {guest.Probe.Cached?.Kvm})");
        Assert.Equal(EnsureOutcome.Created, ensured.Outcome);
        Assert.Contains("vda=131072", console, StringComparison.Ordinal);
        // the token reaches the guest by fw_cfg from a 0600 file, never on QEMU's command line (any local user reads /proc)
        Assert.Contains("token=sekrit ", console, StringComparison.Ordinal);
        var cmdline = (await File.ReadAllTextAsync($"/proc/{host.VmPid(spec.Name)}/cmdline")).Replace('\0', ' ');
        Assert.Contains("console=ttyS0 quiet panic=-1 vm.name=n1 ", cmdline, StringComparison.Ordinal);
        Assert.DoesNotContain("sekrit", cmdline, StringComparison.Ordinal);
        var tokenFile = Path.Combine(host.VmFolder(spec.Name), "token");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));
        Assert.Equal("sekrit", await File.ReadAllTextAsync(tokenFile, Ct));
        var tail = await host.Compute.ConsoleAsync(spec.Name, 16, Ct);
        Assert.NotNull(tail);
        Assert.True(tail.Length <= 16, tail);
        Assert.Null(await host.Compute.ConsoleAsync(_names.Name("nothere"), 16, Ct));
    }

    [HostFact]
    public async Task VmKilledFromOutside_IsListedStopped_AndEnsureStartsItAgain()
    {
        var host = await HostAsync();
        var spec = await PrepareAsync(host);
        await host.Compute.EnsureVmAsync(spec, Ct);
        await host.WaitForConsoleAsync(spec.Name, TestGuest.BootMarker);
        var firstPid = host.VmPid(spec.Name);

        await host.KillVmAsync(spec.Name);

        Assert.Equal(new VmStatus(spec.Name, VmState.Stopped, "died"), Assert.Single(await host.Compute.ListVmsAsync(Ct)));
        var restarted = await host.Compute.EnsureVmAsync(spec, Ct);
        Assert.Equal(EnsureOutcome.Updated, restarted.Outcome);
        Assert.NotEqual(firstPid, host.VmPid(spec.Name));
        Assert.Equal(VmState.Running, Assert.Single(await host.Compute.ListVmsAsync(Ct)).State);
        await host.WaitForConsoleAsync(spec.Name, TestGuest.BootMarker, times: 2);
        var tap = await host.Namespace.IpAsync("link", "show", "dev", QemuComputeDriver.TapName(spec.Name));
        Assert.Contains("master " + spec.Bridge, tap.StandardOutput, StringComparison.Ordinal);
    }

    [HostFact]
    public async Task RestartedAgent_ListsTheRunningVm_LeavesItAlone_AndCanDeleteIt()
    {
        var host = await HostAsync();
        var spec = await PrepareAsync(host);
        await host.Compute.EnsureVmAsync(spec, Ct);
        var pid = host.VmPid(spec.Name);

        var restarted = host.NewCompute();

        var listed = Assert.Single(await restarted.ListVmsAsync(Ct));
        Assert.Equal((spec.Name, VmState.Running), (listed.Name, listed.State));
        // what QEMU's process uses, read from /proc: it has booted, so it has used CPU time and holds memory
        Assert.True(listed.Usage is { CpuSeconds: > 0, MemoryBytes: > 16 * 1024 * 1024 }, $"usage {listed.Usage}");
        Assert.Equal(EnsureOutcome.Unchanged, (await restarted.EnsureVmAsync(spec, Ct)).Outcome);
        Assert.Equal(pid, host.VmPid(spec.Name));
        Assert.Equal(DeleteOutcome.Deleted, await restarted.DeleteVmAsync(spec.Name, Ct));
        Assert.False(Signals.IsAlive(pid) && Daemons.IsProcess(pid, spec.Name), $"QEMU {pid} still runs");
        Assert.False(await host.Namespace.LinkExistsAsync(QemuComputeDriver.TapName(spec.Name)));
        Assert.False(Directory.Exists(host.VmFolder(spec.Name)));
    }

    /// <summary>
    /// Where KVM hangs (this machine) the probe answers false after its timeout and VMs run under TCG; where it
    /// works, it answers true and VMs run under KVM. Either way the VM boots with what the probe said.
    /// </summary>
    [HostFact]
    public async Task KvmProbe_Answers_AndVmsRunWithThatAccelerator()
    {
        await guest.StoreAsync();
        using var cache = new TempDirectory("vct-probe");
        var probe = new KvmProbe(ProcessRunner.Instance, cache.Combine("kvm-probe.json"));

        var started = Stopwatch.StartNew();
        var kvm = await probe.IsUsableAsync(guest.ImageFile("vmlinuz"), guest.ImageFile("initrd.gz"), Ct);
        output.WriteLine($"KVM probe: {kvm} after {started.Elapsed.TotalSeconds:0.00} s ({probe.Cached?.Detail})");

        Assert.Equal(kvm, new KvmProbe(ProcessRunner.Instance, probe.CacheFile).Cached?.Kvm);
        var host = await HostAsync(probe);
        var spec = await PrepareAsync(host);
        await host.Compute.EnsureVmAsync(spec, Ct);
        var cmdline = (await File.ReadAllTextAsync($"/proc/{host.VmPid(spec.Name)}/cmdline")).Replace('\0', ' ');
        Assert.Contains(kvm ? "-accel kvm " : "-accel tcg ", cmdline, StringComparison.Ordinal);
        Assert.Equal(kvm, host.Compute.Capabilities.HardwareAcceleration);
        await host.WaitForConsoleAsync(spec.Name, TestGuest.BootMarker);
    }

    [HostFact]
    public async Task KvmProbe_NoKvmDevice_AnswersFalseWithoutBooting()
    {
        using var cache = new TempDirectory("vct-probe");
        var probe = new KvmProbe(ProcessRunner.Instance, cache.Combine("kvm-probe.json")) { KvmDevice = cache.Combine("no-kvm") };

        Assert.False(await probe.IsUsableAsync("/nonexistent/vmlinuz", "/nonexistent/initrd.gz", Ct));
        Assert.Contains("does not exist", probe.Cached?.Detail, StringComparison.Ordinal);
    }

    [HostFact]
    public async Task EnsureVm_QemuRejectsTheSpec_FailsWithQemusErrorAndLeavesNoProcessOrTap()
    {
        var host = await HostAsync();
        var spec = await PrepareAsync(host) with { Mac = "52:54:00:zz:00:01" };

        var e = await Assert.ThrowsAsync<DriverException>(() => host.Compute.EnsureVmAsync(spec, Ct));

        output.WriteLine(e.Message);
        Assert.Contains("52:54:00:zz:00:01", e.Message, StringComparison.Ordinal);
        Assert.Empty(await host.Compute.ListVmsAsync(Ct));
        Assert.False(await host.Namespace.LinkExistsAsync(QemuComputeDriver.TapName(spec.Name)));
        Assert.Empty(await QemuPidsInAsync(host));
        Assert.Null(await host.Compute.ConsoleAsync(spec.Name, 100, Ct));
    }

    /// <summary>A volume exported by tgtd in one namespace, attached to a VM in another over a veth underlay.</summary>
    [HostFact]
    public async Task VolumeOnAnotherHost_IsAttachedOverTheUnderlay_AndTheGuestSeesItsSize()
    {
        var storageNs = await TestNamespace.CreateAsync();
        _owned.Add(storageNs);
        var computeNs = await TestNamespace.CreateAsync();
        _owned.Add(computeNs);
        var (storageAddress, computeAddress) = await TestNamespace.LinkAsync(storageNs, computeNs);
        var storage = await HostAsync(ns: storageNs, address: storageAddress);
        var compute = await HostAsync(ns: computeNs, address: computeAddress);
        var initiator = _names.Initiator("n1");
        var volume = await storage.Storage.EnsureVolumeAsync(new VolumeSpec(_names.Name("vol"), 48, [initiator]), Ct);
        var spec = await PrepareAsync(compute) with
        {
            Volumes = [new VolumeAttachment(volume.Status.Portal, volume.Status.Target, volume.Status.Lun, initiator)],
        };

        var started = Stopwatch.StartNew();
        await compute.Compute.EnsureVmAsync(spec, Ct);
        var console = await compute.WaitForConsoleAsync(spec.Name, TestGuest.BootMarker);

        output.WriteLine($"with an iSCSI volume: ensure → console marker {started.Elapsed.TotalSeconds:0.00} s");
        Assert.Contains("vdb=98304", console, StringComparison.Ordinal);
    }

    private async Task<LinuxTestHost> HostAsync(KvmProbe? probe = null, TestNamespace? ns = null, string? address = null)
    {
        var host = await LinuxTestHost.CreateAsync(await guest.StoreAsync(), probe ?? guest.Probe, ns, address);
        _owned.Add(host);
        return host;
    }

    /// <summary>A segment, the image and a disk on the host, and the spec of a VM "n1" over them.</summary>
    private async Task<VmSpec> PrepareAsync(LinuxTestHost host)
    {
        var bridge = _names.Name("br");
        await host.Network.EnsureSegmentAsync(new SegmentSpec { Bridge = bridge, Vxlan = _names.Name("vx"), Vni = 4242 }, Ct);
        await host.Images.EnsureImageAsync(TestGuest.ImageName, Ct);
        var disk = new DiskSpec(_names.Name("n1.qcow2"), TestGuest.ImageName, 64);
        await host.Images.EnsureDiskAsync(disk, Ct);
        return new VmSpec
        {
            Name = _names.Name("n1"),
            Cpus = 1,
            MemoryMb = 128,
            Disk = disk.Name,
            Mac = _names.Mac(1),
            Bridge = bridge,
            GuestArgs = new Dictionary<string, string> { ["vm.name"] = "n1", ["vm.token"] = "sekrit" },
        };
    }

    private static async Task<List<string>> QemuPidsInAsync(LinuxTestHost host)
    {
        var pids = await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("ip", "netns", "pids", host.Namespace.Name), CancellationToken.None);
        return pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(pid => File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Contains("qemu", StringComparison.Ordinal))
            .ToList();
    }
}
