using Vcm.Agent.Linux.Images.Debian;
using Vcm.Agent.Tests.Linux.Micro;
using Vcm.Drivers.Processes;
using Vcm.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Vcm.Agent.Tests.Linux.Debian;

/// <summary>
/// The Debian image builder, for real: mmdebstrap from this machine's apt sources, the kernel from the package cache
/// the micro tests share. (Booting the image is proven on the lab: LabTests.DebianCluster_….)
/// </summary>
public sealed class DebianImageBuilderTests(ITestOutputHelper output) : IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(20));
    private readonly TempDirectory _store = new("vcm-debian-store");

    private CancellationToken Ct => _timeout.Token;

    public void Dispose()
    {
        _timeout.Dispose();
        _store.Dispose();
    }

    [ToolsFact(true, "mmdebstrap", "mke2fs", "qemu-img", "debugfs", "apt-get", "dpkg-deb")]
    public async Task Build_KilledMidway_LeavesNothing_ThenBuildsAnImageWithItsGuestSideAndNoHostKeys()
    {
        var builder = new DebianImageBuilder(new DebianImageOptions { CacheDirectory = MicroImageFixture.CacheDirectory }, ProcessRunner.Instance);
        var work = _store.Combine(".debian-12.build");

        // Interrupted while mmdebstrap runs (it has file systems mounted in the tree by then): nothing is published,
        // the work folder and its mounts are gone.
        using (var interrupt = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            var build = builder.BuildAsync(_store.Path, "debian-12", line =>
            {
                output.WriteLine(line);
                if (line.StartsWith("making a minimal Debian", StringComparison.Ordinal))
                {
                    interrupt.CancelAfter(TimeSpan.FromSeconds(6));
                }
            }, interrupt.Token);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => build);
        }

        Assert.False(Directory.Exists(_store.Combine("debian-12")), "an interrupted build published an image");
        Assert.False(Directory.Exists(work), "an interrupted build left its work folder");
        Assert.DoesNotContain(await File.ReadAllLinesAsync("/proc/self/mounts", Ct), l => l.Contains(_store.Path, StringComparison.Ordinal));

        // A leftover of a build killed outright (no finally ran) does not get in the way either.
        Directory.CreateDirectory(Path.Combine(work, "root", "etc"));
        await File.WriteAllTextAsync(Path.Combine(work, "root", "etc", "half"), "left by a killed build", Ct);

        var manifest = await builder.BuildAsync(_store.Path, "debian-12", output.WriteLine, Ct);
        var image = _store.Combine("debian-12");
        Assert.Equal("debian-12", manifest.Image);
        Assert.Equal(DebianImageBuilder.BuilderVersion, manifest.BuilderVersion);
        Assert.Empty(await manifest.DamagedFilesAsync(image, Ct));
        Assert.Equal(["base.qcow2", "dpkg.status", "initrd.gz", "manifest.json", "vmlinuz"], Directory.GetFiles(image).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // nothing of the killed build is left: the image, and the link a layer's backing file names it by (its version)
        var version = manifest.Files.Single(f => f.Name == "base.qcow2").Sha256[..16];
        Assert.Equal(["debian-12", $"debian-12@{version}"], Directory.GetFileSystemEntries(_store.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("debian-12", new DirectoryInfo(_store.Combine($"debian-12@{version}")).LinkTarget);
        var packages = manifest.Packages.ToDictionary(p => p.Name, p => p.Version, StringComparer.Ordinal);
        Assert.Contains("openssh-server", packages.Keys);
        Assert.Contains("busybox", packages.Keys);
        Assert.Contains("base-files", packages.Keys);
        Assert.StartsWith("12", packages["base-files"], StringComparison.Ordinal);
        Assert.Contains(packages.Keys, p => p.StartsWith("linux-image-", StringComparison.Ordinal) && p.EndsWith(manifest.KernelRelease, StringComparison.Ordinal));

        // Inside the root file system: the guest side, the kernel's modules, no host key that every node would share.
        var raw = _store.Combine("root.raw");
        var root = await Ext4Image.FromQcowAsync(Path.Combine(image, "base.qcow2"), raw, Ct);

        Assert.Contains("image=debian-12", await root.DebugfsAsync("cat /etc/vcm/image", Ct), StringComparison.Ordinal);
        Assert.Contains("::sysinit:/usr/lib/vcm/boot", await root.DebugfsAsync("cat /etc/inittab", Ct), StringComparison.Ordinal);
        Assert.Contains("udhcpc", await root.DebugfsAsync("cat /sbin/netup", Ct), StringComparison.Ordinal);
        Assert.Contains("modules.dep", await root.DebugfsAsync($"ls -l /usr/lib/modules/{manifest.KernelRelease}", Ct), StringComparison.Ordinal);
        var ssh = await root.DebugfsAsync("ls -l /etc/ssh", Ct);
        Assert.Contains("sshd_config.d", ssh, StringComparison.Ordinal);
        Assert.DoesNotContain("ssh_host_", ssh, StringComparison.Ordinal);
        Assert.Contains("not found", await root.DebugfsAsync("stat /usr/share/doc/openssh-server/copyright", Ct), StringComparison.Ordinal);
        Assert.Contains("Type: regular", await root.DebugfsAsync("stat /usr/sbin/sshd", Ct), StringComparison.Ordinal);
    }
}
