using System.Text.Json.Nodes;
using Vcm.Agent.Linux;
using Vcm.Agent.Linux.Images;
using Vcm.Drivers;
using Vcm.Drivers.Images;
using Vcm.Drivers.Processes;
using Vcm.Testing;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Images;

/// <summary>Fetching images over the manager's HTTP API, and the disks the driver makes (no namespace needed).</summary>
public sealed class QcowImageDriverTests : IAsyncLifetime
{
    private static readonly byte[] Kernel = [.. Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7))];
    private static readonly byte[] Initrd = [.. Enumerable.Range(0, 5_000).Select(i => (byte)(i * 13))];

    private readonly TempDirectory _data = new("vct-images-host");
    private FakeImageApi? _api;

    private FakeImageApi Api => _api!;

    private CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync()
    {
        _api = await FakeImageApi.StartAsync();
        Api.Add("tiny", new Dictionary<string, byte[]> { ["vmlinuz"] = Kernel, ["initrd.gz"] = Initrd });
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task HttpStore_FetchesEveryFileWithTheAgentKey_ThenKeepsTheImage()
    {
        var driver = Driver();

        Assert.Equal(EnsureOutcome.Created, await driver.EnsureImageAsync("tiny", Ct));
        var requests = Api.Requests.Count;
        Assert.Equal(EnsureOutcome.Unchanged, await driver.EnsureImageAsync("tiny", Ct));

        var tiny = Cache.Current("tiny")!;
        Assert.Equal(Kernel, await File.ReadAllBytesAsync(Path.Combine(tiny, "vmlinuz")));
        Assert.Equal(Initrd, await File.ReadAllBytesAsync(Path.Combine(tiny, "initrd.gz")));
        Assert.True(File.Exists(Path.Combine(tiny, "manifest.json")));
        // The manifest, then per file its chunk list and its bytes; the next use asks only which version is current.
        Assert.Equal(5, requests);
        Assert.Equal(requests + 1, Api.Requests.Count);
        Assert.All(Api.Requests, r => Assert.EndsWith("Bearer " + FakeImageApi.Key, r, StringComparison.Ordinal));
        Assert.Equal(["tiny"], (await driver.ListAsync(Ct)).Images);
    }

    [Fact]
    public async Task HttpStore_UnknownImage_FailsTerminally()
    {
        var e = await Assert.ThrowsAsync<DriverException>(() => Driver().EnsureImageAsync("nosuch", Ct));

        Assert.True(e.Terminal, e.Message);
        Assert.Empty((await Driver().ListAsync(Ct)).Images);
    }

    [Fact]
    public async Task HttpStore_FileDiffersFromItsManifest_FailsAndLeavesNoImage()
    {
        Api.Tampered[("tiny", "initrd.gz")] = [1, 2, 3];

        var e = await Assert.ThrowsAsync<DriverException>(() => Driver().EnsureImageAsync("tiny", Ct));

        Assert.False(e.Terminal, e.Message);
        Assert.Contains("initrd.gz", e.Message, StringComparison.Ordinal);
        Assert.Empty((await Driver().ListAsync(Ct)).Images);
        // What matched is kept for the next attempt, under a dot-name that is never taken for the image.
        Assert.All(Directory.GetFileSystemEntries(Path.Combine(_data.Path, "images")), e => Assert.StartsWith(".", Path.GetFileName(e), StringComparison.Ordinal));
    }

    [Fact]
    public async Task HttpStore_WrongKey_FailsButMayBeRetried()
    {
        var e = await Assert.ThrowsAsync<DriverException>(() => Driver(key: "wrong").EnsureImageAsync("tiny", Ct));

        Assert.False(e.Terminal, e.Message);
        Assert.Contains("401", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureDisk_ImageWithoutBaseDisk_IsABlankQcow2OfTheSize()
    {
        var driver = Driver();
        await driver.EnsureImageAsync("tiny", Ct);

        Assert.Equal(EnsureOutcome.Created, await driver.EnsureDiskAsync(new DiskSpec("vc-tdisk-n1.qcow2", "tiny", 96), Ct));

        var info = await InfoAsync(Paths.Disk("vc-tdisk-n1.qcow2"));
        Assert.Equal("qcow2", info["format"]?.GetValue<string>());
        Assert.Equal(96L * 1024 * 1024, info["virtual-size"]?.GetValue<long>());
        Assert.Null(info["backing-filename"]);
    }

    [Fact]
    public async Task EnsureDisk_ImageWithBaseDisk_IsAnOverlayOverIt()
    {
        var store = new TempDirectory("vct-store");
        try
        {
            var image = Path.Combine(store.Path, "based");
            Directory.CreateDirectory(image);
            (await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("qemu-img", "create", "-q", "-f", "qcow2", Path.Combine(image, "base.qcow2"), "32M"), Ct)).EnsureSuccess();
            var bytes = await File.ReadAllBytesAsync(Path.Combine(image, "base.qcow2"));
            var manifest = new JsonObject
            {
                ["name"] = "based",
                ["files"] = new JsonObject
                {
                    ["base.qcow2"] = new JsonObject { ["sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), ["size"] = bytes.LongLength },
                },
            };
            await File.WriteAllTextAsync(Path.Combine(image, "manifest.json"), manifest.ToJsonString());
            var driver = new QcowImageDriver(Context(store.Path));
            await driver.EnsureImageAsync("based", Ct);

            await driver.EnsureDiskAsync(new DiskSpec("vc-tdisk-n2.qcow2", "based", 64), Ct);

            var info = await InfoAsync(Paths.Disk("vc-tdisk-n2.qcow2"));
            Assert.Equal(Path.Combine(Cache.Current("based")!, "base.qcow2"), info["backing-filename"]?.GetValue<string>());
            Assert.Contains("/images/based@", info["backing-filename"]?.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal("qcow2", info["backing-filename-format"]?.GetValue<string>());
            Assert.Equal(64L * 1024 * 1024, info["virtual-size"]?.GetValue<long>());
        }
        finally
        {
            store.Dispose();
        }
    }

    [Fact]
    public async Task ImageRebuiltInTheStore_ComesAsANewVersion_OlderDisksKeepTheirsAndItsKernel_UntilTheLastOneGoes()
    {
        using var store = new TempDirectory("vct-store");
        await StoreImageAsync(store.Path, "based", "32M", "kernel one");
        var driver = new QcowImageDriver(Context(store.Path));
        Assert.Equal(EnsureOutcome.Created, await driver.EnsureImageAsync("based", Ct));
        var first = Cache.Current("based")!;
        await driver.EnsureDiskAsync(new DiskSpec("vc-tver-n1.qcow2", "based", 64), Ct);

        // `vcm image build` again: another base.qcow2 and kernel under the same name
        await StoreImageAsync(store.Path, "based", "48M", "kernel two");
        Assert.Equal(EnsureOutcome.Created, await driver.EnsureImageAsync("based", Ct));
        var second = Cache.Current("based")!;
        Assert.NotEqual(first, second);
        Assert.Equal(EnsureOutcome.Unchanged, await driver.EnsureImageAsync("based", Ct));
        await driver.EnsureDiskAsync(new DiskSpec("vc-tver-n2.qcow2", "based", 64), Ct);

        // each disk stays over the version it was made from, and boots that version's kernel
        Assert.Equal(Path.Combine(first, "base.qcow2"), (await InfoAsync(Paths.Disk("vc-tver-n1.qcow2")))["backing-filename"]?.GetValue<string>());
        Assert.Equal(Path.Combine(second, "base.qcow2"), (await InfoAsync(Paths.Disk("vc-tver-n2.qcow2")))["backing-filename"]?.GetValue<string>());
        Assert.Equal(first, ImageCache.BootFolder(Paths.Disk("vc-tver-n1.qcow2")));
        Assert.Equal("kernel one", await File.ReadAllTextAsync(Path.Combine(ImageCache.BootFolder(Paths.Disk("vc-tver-n1.qcow2"))!, "vmlinuz")));
        Assert.Equal("kernel two", await File.ReadAllTextAsync(Path.Combine(ImageCache.BootFolder(Paths.Disk("vc-tver-n2.qcow2"))!, "vmlinuz")));
        Assert.Equal(["based"], (await driver.ListAsync(Ct)).Images);

        // the older version goes with its last disk; the current one stays with none
        Assert.Equal(DeleteOutcome.Deleted, await driver.DeleteDiskAsync("vc-tver-n1.qcow2", Ct));
        Assert.False(Directory.Exists(first));
        Assert.Equal(DeleteOutcome.Deleted, await driver.DeleteDiskAsync("vc-tver-n2.qcow2", Ct));
        Assert.True(Directory.Exists(second));
        Assert.Equal(second, Cache.Current("based"));
    }

    [Fact]
    public async Task StoreUnreachable_AnIntactCopy_IsUsedAsItIs()
    {
        Assert.Equal(EnsureOutcome.Created, await Driver().EnsureImageAsync("tiny", Ct));

        Assert.Equal(EnsureOutcome.Unchanged, await Driver(key: "wrong").EnsureImageAsync("tiny", Ct));
        await Driver(key: "wrong").EnsureDiskAsync(new DiskSpec("vc-tdisk-n9.qcow2", "tiny", 16), Ct);
        Assert.True(File.Exists(Paths.Disk("vc-tdisk-n9.qcow2")));
    }

    [Fact]
    public async Task BackingFile_OfALayerNamingItsParentsVersion_IsThatFolder_AndCollectKeepsTheChainOfEveryDisk()
    {
        var images = Directory.CreateDirectory(Paths.Images).FullName;
        async Task QemuImgAsync(params string[] args) => (await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("qemu-img", args), Ct)).EnsureSuccess();
        foreach (var folder in new[] { "deb@1111", "deb@2222", "deb.pk-a@3333", "deb.pk-b@4444" })
        {
            Directory.CreateDirectory(Path.Combine(images, folder));
            await File.WriteAllTextAsync(Path.Combine(images, folder, "manifest.json"), """{"name":"x","files":{"base.qcow2":{"sha256":"0000000000000000000000000000000000000000000000000000000000000000","size":1}}}""");
        }

        await QemuImgAsync("create", "-q", "-f", "qcow2", Path.Combine(images, "deb@1111", "base.qcow2"), "16M");
        await QemuImgAsync("create", "-q", "-f", "qcow2", Path.Combine(images, "deb@2222", "base.qcow2"), "16M");
        await QemuImgAsync("create", "-q", "-f", "qcow2", "-u", "-F", "qcow2", "-b", "../deb@1111/base.qcow2", Path.Combine(images, "deb.pk-a@3333", "base.qcow2"), "16M");
        await QemuImgAsync("create", "-q", "-f", "qcow2", "-u", "-F", "qcow2", "-b", "../deb@2222/base.qcow2", Path.Combine(images, "deb.pk-b@4444", "base.qcow2"), "16M");
        Directory.CreateDirectory(Paths.Disks);
        await QemuImgAsync("create", "-q", "-f", "qcow2", "-u", "-F", "qcow2", "-b", Path.Combine(images, "deb.pk-a@3333", "base.qcow2"), Paths.Disk("vc-tchain-n1.qcow2"), "16M");

        Assert.Equal(Path.Combine(images, "deb@1111", "base.qcow2"), ImageCache.BackingFile(Path.Combine(images, "deb.pk-a@3333", "base.qcow2")));
        Assert.Null(ImageCache.BackingFile(Path.Combine(images, "deb@1111", "base.qcow2")));

        // deb.pk-a@3333 and its parent deb@1111 are a disk's chain; deb@2222 is current; deb.pk-b@4444 is neither
        Cache.SetCurrent("deb", Path.Combine(images, "deb@2222"));
        var removed = Cache.Collect([Paths.Disk("vc-tchain-n1.qcow2")]);

        Assert.Equal(["deb.pk-b@4444"], removed);
        Assert.Equal(["deb.pk-a@3333", "deb@1111", "deb@2222"], Directory.GetDirectories(images).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["deb"], Cache.Names());
    }

    private static async Task StoreImageAsync(string store, string name, string size, string kernel)
    {
        var image = Path.Combine(store, name);
        Directory.CreateDirectory(image);
        (await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("qemu-img", "create", "-q", "-f", "qcow2", Path.Combine(image, "base.qcow2"), size), CancellationToken.None)).EnsureSuccess();
        await File.WriteAllTextAsync(Path.Combine(image, "vmlinuz"), kernel);
        var files = new JsonObject();
        foreach (var file in new[] { "base.qcow2", "vmlinuz" })
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(image, file));
            files[file] = new JsonObject { ["sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), ["size"] = bytes.LongLength };
        }

        await File.WriteAllTextAsync(Path.Combine(image, "manifest.json"), new JsonObject { ["name"] = name, ["files"] = files }.ToJsonString());
    }

    private HostPaths Paths => new(_data.Path);

    private ImageCache Cache => new(Paths.Images);

    private LinuxHostContext Context(string store, string? key = FakeImageApi.Key) => new()
    {
        HostName = "vct-images",
        DataDirectory = _data.Path,
        UnderlayAddress = "127.0.0.1",
        VcmExecutable = "vcm",
        ImageStore = store,
        AgentKey = key,
    };

    private QcowImageDriver Driver(string key = FakeImageApi.Key) => new(Context("http://images.test", key), Api.Client());

    private static async Task<JsonNode> InfoAsync(string disk)
    {
        var result = (await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("qemu-img", "info", "--output=json", "-U", disk), CancellationToken.None)).EnsureSuccess();
        return JsonNode.Parse(result.StandardOutput)!;
    }
}
