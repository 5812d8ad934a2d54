using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Vcm.Agent.Linux.Compute;
using Vcm.Drivers.Processes;
using Vcm.Testing;
using Xunit;

namespace Vcm.Agent.Tests.Linux;

/// <summary>
/// A tiny bootable image in a folder image store, built once per test run the way shared/recipes/build_guest.sh does:
/// the Debian cloud kernel (apt-get download), a busybox-static initramfs whose /init follows the guest protocol's
/// probe (vm.probe=1: print VCM-PROBE-OK, power off) and otherwise prints <see cref="BootMarker"/> with its name and
/// block devices' sizes on ttyS0 (given vm.ip=ADDRESS/PREFIX, first addresses eth0 and serves <see cref="EchoPort"/>),
/// then sleeps; plus a blank base.qcow2 and a manifest. Also the KVM probe the suites
/// share, so that a machine whose KVM hangs pays the probe's timeout once.
/// </summary>
public sealed class TestGuest : IAsyncLifetime
{
    public const string ImageName = "micro";
    public const string BootMarker = "VCM-TEST-BOOTED";

    private const string Init = """
        #!/bin/busybox sh
        /bin/busybox --install -s /bin
        export PATH=/bin:/sbin
        mount -t proc proc /proc
        mount -t sysfs sys /sys
        mount -t devtmpfs dev /dev
        NAME=vm; PROBE=; IP=
        for a in $(cat /proc/cmdline); do
          case "$a" in
            vm.name=*) NAME=${a#vm.name=};;
            vm.ip=*) IP=${a#vm.ip=};;
            vm.probe=1) PROBE=1;;
          esac
        done
        if [ -n "$PROBE" ]; then echo VCM-PROBE-OK; poweroff -f; fi
        mods="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover virtio_net virtio_blk virtio-rng qemu_fw_cfg"
        for pass in 1 2 3 4 5; do
          left=""
          for m in $mods; do
            insmod /lib/modules/$m.ko 2>/dev/null || grep -q "^$(echo $m | tr - _) " /proc/modules || left="$left $m"
          done
          mods=$left; [ -z "$mods" ] && break
        done
        hostname "$NAME"
        if [ -n "$IP" ]; then
          ip link set lo up; ip addr add "$IP" dev eth0; ip link set eth0 up
          nc -ll -p 7000 -e /bin/echo-boot &
        fi
        disks=""
        for d in /sys/block/vd*; do [ -e "$d" ] && disks="$disks ${d##*/}=$(cat $d/size)"; done
        TOKEN=$(cat /sys/firmware/qemu_fw_cfg/by_name/opt/vcm/token/raw 2>/dev/null || echo none)
        echo "VCM-TEST-BOOTED name=$NAME token=$TOKEN disks=$disks uptime=$(cut -d' ' -f1 /proc/uptime)"
        while true; do sleep 3600; done

        """;

    /// <summary>
    /// What a TCP connection to port 7000 of a guest with vm.ip=ADDRESS/PREFIX runs: each line comes back, but "boot"
    /// answers the guest kernel's boot_id (the same after a live migration, a new one after a reboot), "disk=TEXT"
    /// writes TEXT to its disk (vda, at 1 MiB; answers "written") and "disk" reads it back from the disk, not the cache.
    /// </summary>
    private const string EchoBoot = """
        #!/bin/busybox sh
        while read line; do
          case "$line" in
            boot) cat /proc/sys/kernel/random/boot_id;;
            disk=*) echo "${line#disk=}" | dd of=/dev/vda bs=512 seek=2048 conv=fsync 2>/dev/null; echo written;;
            disk) echo 3 > /proc/sys/vm/drop_caches; dd if=/dev/vda bs=512 skip=2048 count=1 2>/dev/null | head -n 1;;
            *) echo "$line";;
          esac
        done

        """;

    /// <summary>The TCP port of <see cref="EchoBoot"/> in a guest given vm.ip.</summary>
    public const int EchoPort = 7000;

    private static readonly string[] Modules =
    [
        "drivers/virtio/virtio", "drivers/virtio/virtio_ring", "drivers/virtio/virtio_pci_modern_dev",
        "drivers/virtio/virtio_pci_legacy_dev", "drivers/virtio/virtio_pci", "net/core/failover", "drivers/net/net_failover",
        "drivers/net/virtio_net", "drivers/block/virtio_blk", "drivers/char/hw_random/virtio-rng", "drivers/firmware/qemu_fw_cfg",
    ];

    private readonly TempDirectory _store = new("vct-images");
    private readonly TempDirectory _work = new("vct-guest");
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _built;

    public TestGuest()
    {
        Probe = new KvmProbe(ProcessRunner.Instance, _work.Combine("kvm-probe.json"));
    }

    /// <summary>The image store folder: micro/{vmlinuz, initrd.gz, base.qcow2, manifest.json} (VmSpec.Image defaults to "micro").</summary>
    public string Store => _store.Path;

    public KvmProbe Probe { get; }

    /// <summary>How long building the image took (0 until built).</summary>
    public TimeSpan BuildTime { get; private set; }

    /// <summary>How long the shared KVM probe took (0 until the image is built).</summary>
    public TimeSpan ProbeTime { get; private set; }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Builds the image on first use (suites that boot nothing never pay for it).</summary>
    public async Task<string> StoreAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (!_built)
            {
                var started = Stopwatch.StartNew();
                await BuildAsync();
                BuildTime = started.Elapsed;

                // Probe now, so that no test's timings hold the probe (on a machine whose KVM hangs, its whole timeout).
                started.Restart();
                await Probe.IsUsableAsync(ImageFile("vmlinuz"), ImageFile("initrd.gz"), CancellationToken.None);
                ProbeTime = started.Elapsed;
                _built = true;
            }

            return Store;
        }
        finally
        {
            _gate.Release();
        }
    }

    public string ImageFile(string file) => Path.Combine(Store, ImageName, file);

    private async Task BuildAsync()
    {
        var package = await KernelPackageAsync();
        var debs = _work.Combine("debs");
        Directory.CreateDirectory(debs);
        await RunAsync(new ProcessSpec("apt-get", ["download", "-q", package]) { WorkingDirectory = debs, Timeout = TimeSpan.FromMinutes(5) });
        var deb = Directory.GetFiles(debs, "*.deb").Single();
        var root = _work.Combine("kernel");
        await RunAsync(new ProcessSpec("dpkg-deb", ["-x", deb, root]));

        var image = Path.Combine(Store, ImageName);
        Directory.CreateDirectory(image);
        File.Copy(Directory.GetFiles(Path.Combine(root, "boot"), "vmlinuz-*").Single(), Path.Combine(image, "vmlinuz"));

        var initramfs = _work.Combine("initramfs");
        foreach (var dir in new[] { "bin", "sbin", "proc", "sys", "dev", "tmp", "lib/modules" })
        {
            Directory.CreateDirectory(Path.Combine(initramfs, dir));
        }

        File.Copy("/bin/busybox", Path.Combine(initramfs, "bin", "busybox"));
        File.SetUnixFileMode(Path.Combine(initramfs, "bin", "busybox"), (UnixFileMode)0b111_101_101);
        var kernelModules = Directory.GetDirectories(Path.Combine(root, "lib", "modules")).Single();
        foreach (var module in Modules)
        {
            File.Copy(Path.Combine(kernelModules, "kernel", module + ".ko"), Path.Combine(initramfs, "lib", "modules", Path.GetFileName(module) + ".ko"));
        }

        await File.WriteAllTextAsync(Path.Combine(initramfs, "init"), Init.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(Path.Combine(initramfs, "init"), (UnixFileMode)0b111_101_101);
        await File.WriteAllTextAsync(Path.Combine(initramfs, "bin", "echo-boot"), EchoBoot.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(Path.Combine(initramfs, "bin", "echo-boot"), (UnixFileMode)0b111_101_101);
        await RunAsync(new ProcessSpec("sh", ["-c", "find . | cpio -o -H newc 2>/dev/null | gzip -1 > \"$0\"", Path.Combine(image, "initrd.gz")]) { WorkingDirectory = initramfs });
        await RunAsync(ProcessSpec.Of("qemu-img", "create", "-q", "-f", "qcow2", Path.Combine(image, "base.qcow2"), "64M"));

        var files = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var file in new[] { "vmlinuz", "initrd.gz", "base.qcow2" })
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(image, file));
            files[file] = new { sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), size = bytes.LongLength };
        }

        await File.WriteAllTextAsync(Path.Combine(image, "manifest.json"), JsonSerializer.Serialize(new { name = ImageName, files, builtBy = "vcm agent tests" }));
        Directory.Delete(root, recursive: true);
        Directory.Delete(debs, recursive: true);
    }

    /// <summary>The versioned package linux-image-cloud-amd64 depends on today (apt-get update once if apt knows none).</summary>
    private static async Task<string> KernelPackageAsync()
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var result = await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("apt-cache", "depends", "linux-image-cloud-amd64"), CancellationToken.None);
            var package = result.StandardOutput.Split('\n')
                .Select(l => l.Trim())
                .Where(l => l.StartsWith("Depends: linux-image-", StringComparison.Ordinal))
                .Select(l => l["Depends: ".Length..])
                .FirstOrDefault(p => char.IsAsciiDigit(p["linux-image-".Length]));
            if (package is not null)
            {
                return package;
            }

            await RunAsync(ProcessSpec.Of("apt-get", "update", "-q") with { Timeout = TimeSpan.FromMinutes(5) });
        }

        throw new InvalidOperationException("apt knows no linux-image-cloud-amd64 to build the test guest from");
    }

    private static async Task RunAsync(ProcessSpec spec) =>
        (await ProcessRunner.Instance.RunAsync(spec, CancellationToken.None)).EnsureSuccess();

    public Task DisposeAsync()
    {
        _store.Dispose();
        _work.Dispose();
        return Task.CompletedTask;
    }
}
