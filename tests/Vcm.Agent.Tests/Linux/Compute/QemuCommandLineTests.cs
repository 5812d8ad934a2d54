using Vcm.Agent.Linux;
using Vcm.Agent.Linux.Compute;
using Vcm.Drivers.Compute;
using Vcm.Testing;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Compute;

/// <summary>QEMU's arguments for a VM: the node's token is never among them (every local user reads /proc/PID/cmdline).</summary>
public sealed class QemuCommandLineTests : IDisposable
{
    private const string Token = "tok-3f9a0c1d2e4b5a6978";

    private readonly TempDirectory _root = new("vcm-qemu-args");

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Build_PassesTheTokenAsAFwCfgFile_AndNowhereInTheArguments()
    {
        var image = _root.Combine("images", "micro");
        Directory.CreateDirectory(image);
        File.WriteAllText(Path.Combine(image, "vmlinuz"), "");
        var paths = new HostPaths(_root.Path);
        var vm = VmFolder.For(paths, "vm-1");
        var spec = new VmSpec
        {
            Name = "vm-1", Cpus = 1, MemoryMb = 256, Disk = "d1", Mac = "52:54:00:00:00:01", Bridge = "br0", Hostname = "node-01",
            GuestArgs = new Dictionary<string, string> { ["vm.name"] = "node-01", ["vm.token"] = Token, ["vm.meta"] = "http://10.0.0.1" },
        };

        var args = QemuCommandLine.Build(spec, paths, vm, kvm: false, image);

        Assert.DoesNotContain(args, a => a.Contains(Token, StringComparison.Ordinal));
        Assert.Equal("console=ttyS0 quiet panic=-1 vm.name=node-01 vm.meta=http://10.0.0.1", args[args.IndexOf("-append") + 1]);
        Assert.Equal($"name=opt/vcm/token,file={vm.TokenFile}", args[args.IndexOf("-fw_cfg") + 1]);
        Assert.Equal(Token, QemuCommandLine.Token(spec));
    }

    [Fact]
    public void Build_WithoutAToken_HasNoFwCfgItem()
    {
        var paths = new HostPaths(_root.Path);
        var spec = new VmSpec { Name = "vm-2", Cpus = 1, MemoryMb = 256, Disk = "d2", Mac = "52:54:00:00:00:02", Bridge = "br0" };

        var args = QemuCommandLine.Build(spec, paths, VmFolder.For(paths, "vm-2"), kvm: false, _root.Combine("images", "none"));

        Assert.DoesNotContain("-fw_cfg", args);
        Assert.Null(QemuCommandLine.Token(spec));
    }

    [Fact]
    public void Build_Incoming_IsTheSameCommandLinePlusIncomingDefer_WithTheDiskAsANamedNodeTheMirrorCanWriteBeside()
    {
        var paths = new HostPaths(_root.Path);
        var spec = new VmSpec { Name = "vm-3", Cpus = 1, MemoryMb = 256, Disk = "d3", Mac = "52:54:00:00:00:03", Bridge = "br0" };
        var vm = VmFolder.For(paths, "vm-3");
        var image = _root.Combine("images", "none");

        var normal = QemuCommandLine.Build(spec, paths, vm, kvm: false, image);
        var incoming = QemuCommandLine.Build(spec, paths, vm, kvm: false, image, incoming: true);

        Assert.Equal([.. normal, "-incoming", "defer"], incoming);
        Assert.DoesNotContain("-incoming", normal);
        Assert.Contains($"driver=qcow2,file=disk0-file,node-name={QemuCommandLine.DiskNode}", normal);
        Assert.Contains(normal, a => a.StartsWith("virtio-blk-pci,drive=disk0,share-rw=on", StringComparison.Ordinal));
    }
}
