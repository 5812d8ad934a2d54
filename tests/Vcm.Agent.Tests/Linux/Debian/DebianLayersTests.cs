using System.Text.Json;
using Vcm.Agent.Linux.Images.Debian;
using Vcm.Agent.Linux.Images.Layers;
using Vcm.Agent.Linux.Images.Micro;
using Vcm.Agent.Tests.Linux.Micro;
using Vcm.Drivers;
using Vcm.Drivers.Images;
using Vcm.Drivers.Processes;
using Vcm.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Vcm.Agent.Tests.Linux.Debian;

/// <summary>Package-set layers, for real: a Debian image built here, apt resolving and installing, qcow2 over the parent.</summary>
public sealed class DebianLayersTests(ITestOutputHelper output) : IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(20));
    private readonly TempDirectory _store = new("vcm-layer-store");

    private CancellationToken Ct => _timeout.Token;

    public void Dispose()
    {
        _timeout.Dispose();
        _store.Dispose();
    }

    [ToolsFact(true, "mmdebstrap", "mke2fs", "qemu-img", "debugfs", "apt-get", "unshare", "resize2fs")]
    public async Task Layer_ResolvedByContent_BuiltOnce_HoldsThePackages_OverItsParent_AndAFailedInstallPublishesNothing()
    {
        var image = await new DebianImageBuilder(new DebianImageOptions { CacheDirectory = MicroImageFixture.CacheDirectory }, ProcessRunner.Instance)
            .BuildAsync(_store.Path, "debian-12", output.WriteLine, Ct);
        var layers = new DebianLayers(_store.Path, ProcessRunner.Instance);

        // Unknown packages are all named; known ones resolve to exact versions and a content-addressed name.
        var refused = await layers.ResolveAsync("debian-12", ["hello", "vcm-no-such-package", "jq", "vcm-nor-this"], Ct);
        Assert.Null(refused.Plan);
        Assert.Equal(["vcm-no-such-package", "vcm-nor-this"], refused.Unknown);

        var resolved = await layers.ResolveAsync("debian-12", ["jq", "hello"], Ct);
        var plan = resolved.Plan!;
        Assert.StartsWith("debian-12.pk-", plan.Layer, StringComparison.Ordinal);
        Assert.Equal(["hello", "jq"], plan.Requested);
        Assert.Contains(plan.Installs, p => p.Name == "libjq1");
        Assert.DoesNotContain(plan.Installs, p => p.Name == "openssh-server"); // in the image already
        Assert.Equal(plan.Layer, (await layers.ResolveAsync("debian-12", ["hello", "jq"], Ct)).Plan!.Layer);
        Assert.Equal("debian-12", (await layers.ResolveAsync("debian-12", ["openssh-server"], Ct)).Plan!.Layer);

        var built = await layers.EnsureAsync(plan, output.WriteLine, Ct);
        output.WriteLine($"layer {built.Layer}: {built.Bytes} bytes in {built.Seconds:0.0} s");
        Assert.True(built.Built);
        var folder = _store.Combine(plan.Layer);
        var manifest = (await MicroImageManifest.ReadAsync(folder, Ct))!;
        Assert.Equal("debian-12", manifest.Parent);
        Assert.Equal(image.Files.Single(f => f.Name == "base.qcow2").Sha256, manifest.ParentSha256);
        Assert.Equal(["hello", "jq"], manifest.Requested);
        Assert.Empty(await manifest.DamagedFilesAsync(folder, Ct));
        Assert.Contains(manifest.Packages, p => p.Name == "hello" && p.Version == plan.Installs.Single(i => i.Name == "hello").Version);

        // The layer keeps only what changed, over its parent's version by a relative path (so it works in any host's
        // cache, and never over a rebuilt parent); the store links that name to its parent.
        var info = JsonDocument.Parse((await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("qemu-img", "info", "--output=json", Path.Combine(folder, "base.qcow2")), Ct)).EnsureSuccess().StandardOutput).RootElement;
        var parentVersion = image.Files.Single(f => f.Name == "base.qcow2").Sha256[..16];
        Assert.Equal($"../debian-12@{parentVersion}/base.qcow2", info.GetProperty("backing-filename").GetString());
        Assert.Equal("debian-12", new DirectoryInfo(Path.Combine(Path.GetDirectoryName(folder)!, $"debian-12@{parentVersion}")).LinkTarget);
        var layerDisk = manifest.Files.Single(f => f.Name == "base.qcow2").Size;
        Assert.True(layerDisk < image.Files.Single(f => f.Name == "base.qcow2").Size / 2, $"the layer's disk is {layerDisk} bytes");

        // What a node sees through the chain: the programs, and nothing of the build left behind.
        var raw = _store.Combine("chain.raw");
        var root = await Ext4Image.FromQcowAsync(Path.Combine(folder, "base.qcow2"), raw, Ct);

        Assert.Contains("Type: regular", await root.DebugfsAsync("stat /usr/bin/hello", Ct), StringComparison.Ordinal);
        Assert.Contains("Type: regular", await root.DebugfsAsync("stat /usr/bin/jq", Ct), StringComparison.Ordinal);
        Assert.Contains("not found", await root.DebugfsAsync("stat /usr/sbin/policy-rc.d", Ct), StringComparison.Ordinal);
        Assert.DoesNotContain("Packages", await root.DebugfsAsync("ls /var/lib/apt/lists", Ct), StringComparison.Ordinal);
        Assert.DoesNotContain("ssh_host_", await root.DebugfsAsync("ls /etc/ssh", Ct), StringComparison.Ordinal);
        File.Delete(raw);

        // Built once: asked again, it is found.
        Assert.False((await layers.EnsureAsync(plan, output.WriteLine, Ct)).Built);
        var listed = await layers.ListAsync(Ct);
        Assert.Equal(["debian-12", plan.Layer], listed.Select(i => i.Name));
        Assert.Equal("debian-12", listed[1].Parent);

        // A package that will not install (no such version): apt's reason, and nothing published or left behind.
        var broken = plan with { Layer = "debian-12.pk-0000000000000000", Installs = [new PackageVersion("hello", "0.0-vcm-none")] };
        var failure = await Assert.ThrowsAsync<DriverException>(() => layers.EnsureAsync(broken, output.WriteLine, Ct));
        output.WriteLine(failure.Message);
        Assert.True(failure.Terminal);
        Assert.Contains("0.0-vcm-none", failure.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_store.Combine(broken.Layer)));
        Assert.DoesNotContain(Directory.GetDirectories(_store.Path), d => Path.GetFileName(d).StartsWith(".debian", StringComparison.Ordinal));
        Assert.DoesNotContain(await File.ReadAllLinesAsync("/proc/self/mounts", Ct), l => l.Contains(_store.Path, StringComparison.Ordinal));

        // Removing: a layer goes, an image is not a layer.
        Assert.False(await layers.RemoveAsync("debian-12", Ct));
        Assert.True(await layers.RemoveAsync(plan.Layer, Ct));
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void Apt_Output_IsReadFor_UnknownPackages_Installs_AndInstalledVersions()
    {
        const string errors = "Reading package lists...\nE: Unable to locate package zzz\nE: Package 'aaa' has no installation candidate\nE: Unable to locate package zzz\n";
        Assert.Equal(["aaa", "zzz"], DebianLayers.UnknownPackages(errors));

        const string simulation = "NOTE: This is only a simulation!\nInst libjq1 (1.6-2.1 Debian:12.11/stable [amd64])\nInst hello [2.10-2] (2.10-3 Debian:12.11/stable [amd64])\nConf hello (2.10-3 Debian:12.11/stable [amd64])\n";
        Assert.Equal([new PackageVersion("hello", "2.10-3"), new PackageVersion("libjq1", "1.6-2.1")], DebianLayers.Installs(simulation));

        var one = DebianLayers.ContentHash("ab", [new PackageVersion("b", "1"), new PackageVersion("a", "2")]);
        Assert.Equal(one, DebianLayers.ContentHash("ab", [new PackageVersion("a", "2"), new PackageVersion("b", "1")]));
        Assert.NotEqual(one, DebianLayers.ContentHash("ac", [new PackageVersion("a", "2"), new PackageVersion("b", "1")]));
        Assert.NotEqual(one, DebianLayers.ContentHash("ab", [new PackageVersion("a", "2"), new PackageVersion("b", "1+b1")]));
        Assert.Equal(16, one.Length);

        const string status = "Package: a\nStatus: install ok installed\nVersion: 1\n\nPackage: gone\nStatus: deinstall ok config-files\nVersion: 2\n\nPackage: b\nStatus: install ok installed\nVersion: 1:3\n";
        Assert.Equal(["a 1", "b 1:3"], DpkgStatus.Installed(status).Select(p => $"{p.Name} {p.Version}"));
    }
}
