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

        Assert.Equal(Kernel, await File.ReadAllBytesAsync(Path.Combine(Paths.Image("tiny"), "vmlinuz")));
        Assert.Equal(Initrd, await File.ReadAllBytesAsync(Path.Combine(Paths.Image("tiny"), "initrd.gz")));
        Assert.True(File.Exists(Path.Combine(Paths.Image("tiny"), "manifest.json")));
        // The manifest, then per file its chunk list and its bytes.
        Assert.Equal(5, requests);
        Assert.Equal(requests, Api.Requests.Count);
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
            Assert.Equal(Path.Combine(Paths.Image("based"), "base.qcow2"), info["backing-filename"]?.GetValue<string>());
            Assert.Equal("qcow2", info["backing-filename-format"]?.GetValue<string>());
            Assert.Equal(64L * 1024 * 1024, info["virtual-size"]?.GetValue<long>());
        }
        finally
        {
            store.Dispose();
        }
    }

    private HostPaths Paths => new(_data.Path);

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
