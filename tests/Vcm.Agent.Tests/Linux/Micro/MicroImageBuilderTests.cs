using System.IO.Compression;
using System.Text;
using Vcm.Agent.Linux.Images.Micro;
using Vcm.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Vcm.Agent.Tests.Linux.Micro;

/// <summary>The micro image builder, against Debian's real packages (downloaded once into the test cache).</summary>
[Collection(MicroImageCollection.Name)]
public sealed class MicroImageBuilderTests(MicroImageFixture image, ITestOutputHelper output) : IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(10));

    private CancellationToken Ct => _timeout.Token;

    public void Dispose() => _timeout.Dispose();

    [ToolsFact(false, "apt-get", "apt-cache", "dpkg-deb")]
    public async Task Build_FromDebianPackages_WritesKernelInitrdAndManifestWhoseHashesMatch()
    {
        var manifest = await image.BuildAsync(Ct);
        output.WriteLine($"built in {image.BuildTime.TotalSeconds:0.0} s: kernel {manifest.KernelRelease}; " +
            string.Join(", ", manifest.Files.Select(f => $"{f.Name} {f.Size} bytes")));

        Assert.Equal("micro", manifest.Image);
        Assert.Equal(MicroImageBuilder.BuilderVersion, manifest.BuilderVersion);
        Assert.Equal(["base.qcow2", "initrd.gz", "vmlinuz"], manifest.Files.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.Empty(await manifest.DamagedFilesAsync(image.Directory, Ct));
        Assert.Equal(manifest.ToJson(), await File.ReadAllTextAsync(Path.Combine(image.Directory, "manifest.json"), Ct));
        Assert.Equal(["base.qcow2", "initrd.gz", "manifest.json", "vmlinuz"], Directory.GetFiles(image.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var packages = manifest.Packages.Select(p => p.Name).ToList();
        Assert.Contains(packages, p => p.StartsWith("linux-image-", StringComparison.Ordinal) && p.EndsWith(manifest.KernelRelease, StringComparison.Ordinal));
        Assert.Contains("busybox-static", packages);
        Assert.Contains("dropbear-bin", packages);
        Assert.Contains("libc6", packages);
        Assert.All(manifest.Packages, p => Assert.False(string.IsNullOrWhiteSpace(p.Version)));
    }

    [ToolsFact(false, "apt-get", "apt-cache", "dpkg-deb")]
    public async Task Build_Twice_GivesByteIdenticalFiles()
    {
        var first = await image.BuildAsync(Ct);
        using var again = new TempDirectory("vcm-micro-again");
        // a second cache with the same .deb files but nothing unpacked: the build does not depend on unpack state
        CopyDebs(MicroImageFixture.CacheDirectory, again.Combine("cache"));

        var second = await MicroImageFixture.Builder(again.Combine("cache")).BuildAsync(again.Combine("micro"), Ct);

        Assert.Equal(first.ToJson(), second.ToJson());
        foreach (var name in new[] { "vmlinuz", "initrd.gz", "manifest.json" })
        {
            var one = await File.ReadAllBytesAsync(Path.Combine(image.Directory, name), Ct);
            var two = await File.ReadAllBytesAsync(again.Combine("micro", name), Ct);
            Assert.True(one.AsSpan().SequenceEqual(two), $"{name} differs between two builds");
        }
    }

    [ToolsFact(false, "apt-get", "apt-cache", "dpkg-deb")]
    public async Task Build_Initrd_HoldsInitBusyboxDropbearItsLibrariesAndOrderedModules()
    {
        await image.BuildAsync(Ct);

        var archive = CpioReader.Read(Gunzip(image.Initrd));
        var entries = archive.ToDictionary(e => e.Name, StringComparer.Ordinal);

        Assert.Contains("init", entries.Keys);
        Assert.Contains("bin/busybox", entries.Keys);
        Assert.Contains("usr/sbin/dropbear", entries.Keys);
        Assert.Contains("usr/bin/dropbearkey", entries.Keys);
        Assert.Contains("lib64/ld-linux-x86-64.so.2", entries.Keys);
        Assert.Contains("lib/x86_64-linux-gnu/libc.so.6", entries.Keys);
        Assert.Contains(entries.Keys, k => k.Contains("libtomcrypt.so.1", StringComparison.Ordinal));
        Assert.Contains(entries.Keys, k => k.Contains("libgmp.so.10", StringComparison.Ordinal));
        Assert.DoesNotContain(entries.Keys, k => k.Contains("libm.so", StringComparison.Ordinal));
        Assert.Equal(0x2000 | 0x180, entries["dev/console"].Mode);
        Assert.Equal(0x8000 | 0x1ED, entries["init"].Mode);
        Assert.All(entries.Values, e => Assert.Equal(0, e.Mtime));
        var modules = Encoding.UTF8.GetString(entries["etc/vcm/modules"].Data).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        Assert.True(modules.IndexOf("virtio") < modules.IndexOf("virtio_pci"));
        Assert.True(modules.IndexOf("net_failover") < modules.IndexOf("virtio_net"));
        Assert.True(modules.IndexOf("failover") < modules.IndexOf("net_failover"));
        Assert.Contains("virtio_rng", modules);
        Assert.Contains("virtio_blk", modules);
        Assert.All(modules, m => Assert.Contains($"lib/modules/{m}.ko", entries.Keys));
        Assert.Equal(archive.Select(e => e.Name).Order(StringComparer.Ordinal), archive.Select(e => e.Name));
        Assert.All(archive, e => Assert.Equal((0, 0), (e.Uid, e.Gid)));
    }

    [ToolsFact(false, "apt-get", "apt-cache", "dpkg-deb")]
    public async Task Build_AptFailsOnce_UpdatesTheIndexAndTriesAgain()
    {
        await image.BuildAsync(Ct);
        using var again = new TempDirectory("vcm-micro-retry");
        CopyDebs(MicroImageFixture.CacheDirectory, again.Combine("cache"));
        // the index update is faked: the test must not change this machine's apt lists
        var runner = new FaultyRunner(failFirst: "apt-cache depends", fake: "apt-get update");

        var manifest = await new MicroImageBuilder(new MicroImageOptions { CacheDirectory = again.Combine("cache") }, runner).BuildAsync(again.Combine("micro"), Ct);

        Assert.Equal(2, runner.Commands.Count(c => c.StartsWith("apt-cache depends", StringComparison.Ordinal)));
        Assert.Single(runner.Commands, c => c == "apt-get update");
        Assert.Empty(await manifest.DamagedFilesAsync(again.Combine("micro"), Ct));
    }

    [ToolsFact(false, "apt-get", "apt-cache", "dpkg-deb")]
    public async Task Build_AptFailsAndUpdatingIsOff_Fails()
    {
        using var again = new TempDirectory("vcm-micro-noretry");
        var runner = new FaultyRunner(failFirst: "apt-cache depends", fake: "apt-get update");
        var builder = new MicroImageBuilder(new MicroImageOptions { CacheDirectory = again.Combine("cache"), UpdatePackageIndex = false }, runner);

        await Assert.ThrowsAsync<Vcm.Drivers.Processes.ProcessFailedException>(() => builder.BuildAsync(again.Combine("micro"), Ct));
        Assert.DoesNotContain("apt-get update", runner.Commands);
        Assert.False(File.Exists(again.Combine("micro", "manifest.json")));
    }

    private static byte[] Gunzip(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var copy = new MemoryStream();
        gzip.CopyTo(copy);
        return copy.ToArray();
    }

    private static void CopyDebs(string cache, string target)
    {
        Directory.CreateDirectory(Path.Combine(target, "debs"));
        foreach (var deb in Directory.GetFiles(Path.Combine(cache, "debs"), "*.deb"))
        {
            File.Copy(deb, Path.Combine(target, "debs", Path.GetFileName(deb)));
        }
    }
}
