using System.Net;
using Vcm.Agent.Linux.Packages;
using Vcm.Agent.Metadata;
using Vcm.Agent.Tests.Linux.Metadata;
using Vcm.Agent.Tests.Linux.Micro;
using Vcm.Drivers.Network;
using Vcm.Drivers.Processes;
using Vcm.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Vcm.Agent.Tests.Linux.Packages;

/// <summary>
/// The site's package repository end to end with real processes, as a node's apt sees it: this machine's apt
/// (<see cref="AptArchive"/>) → a host's copy (<see cref="PackageMirror"/>) on its unix socket → a gateway's metadata
/// service at /apt → apt-get, in a root of its own, with the Debian archive's keyring: its lists update from the
/// archive's own signed InRelease, and a .deb the cache lacked is fetched from the mirror into the cache on the way.
/// </summary>
public sealed class AptThroughGatewayTests(ITestOutputHelper output) : IDisposable
{
    private const string Node = "127.0.0.1";
    private readonly TempDirectory _dir = new("vcm-apt");
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(10));

    private CancellationToken Ct => _timeout.Token;

    // xunit 2 disposes a test class that is IDisposable (not one that is only IAsyncDisposable: its folder stayed)
    public void Dispose()
    {
        _timeout.Dispose();
        _dir.Dispose();
    }

    [ToolsFact(true, "apt-get", "gpgv")]
    public async Task NodeApt_UpdatesFromTheArchivesSignedIndex_AndDownloadsADeb_FetchedIntoTheSiteCache()
    {
        var cache = _dir.Combine("store", ".cache");
        var archive = new AptArchive(cache, ProcessRunner.Instance);
        var mirror = new PackageMirror(_dir.Combine("host", "packages"), new ArchivePackageSource(archive), TimeProvider.System);
        var socket = _dir.Combine("host", "packages.sock");
        await using var packages = PackageSocketServer.Build(socket, mirror);
        await packages.StartAsync(Ct);

        var gateway = Directory.CreateDirectory(_dir.Combine("gw")).FullName;
        var spec = new GatewaySpec
        {
            Name = "gw-apt", Bridge = "br-apt", Subnet = "127.0.0.0/8", Address = "127.0.0.1", Domain = "c",
            Nodes = [new GatewayNode("node-01", "52:54:00:00:00:31", Node, [], Token: "t-1")],
            Setup = new GatewaySetup { Packages = ["hello"] },
        };
        await GatewayFiles.WriteNodesAsync(gateway, spec, Ct);
        await GatewayFiles.WriteSetupAsync(gateway, spec, Ct);
        await using var metadata = MetadataServer.Build(new MetadataServerOptions { Directory = gateway, Listen = "http://127.0.0.1:0", PackageSocket = socket });
        await metadata.StartAsync(Ct);
        var url = MetadataServer.ListeningUrl(metadata);

        using var node = MetadataHarness.From(Node);
        node.DefaultRequestHeaders.Add(MetadataServer.TokenHeader, "t-1");
        Assert.Equal("hello\n", await node.GetStringAsync($"{url}/v1/self/packages", Ct));
        var sources = await node.GetStringAsync($"{url}/v1/self/apt-sources", Ct);
        output.WriteLine(sources);
        Assert.Contains($"{url}/apt/debian bookworm main", sources, StringComparison.Ordinal);
        using var stranger = MetadataHarness.From("127.0.0.99");
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync($"{url}/apt/suites", Ct)).StatusCode);

        // a node's apt, in a root of its own: only the gateway's sources, the archive keyring, no config of this machine's
        var root = _dir.Combine("node");
        foreach (var folder in new[] { "etc/apt/apt.conf.d", "etc/apt/preferences.d", "etc/apt/sources.list.d", "var/lib/apt/lists/partial", "var/cache/apt/archives/partial", "var/lib/dpkg", "work" })
        {
            Directory.CreateDirectory(Path.Combine(root, folder));
        }

        await File.WriteAllTextAsync(Path.Combine(root, "var/lib/dpkg/status"), "", Ct);
        await File.WriteAllTextAsync(Path.Combine(root, "etc/apt/sources.list"), sources, Ct);
        var config = Path.Combine(root, "apt.conf");
        await File.WriteAllTextAsync(config,
            $"Dir \"{root}/\";\nDir::Etc::Parts \"{root}/etc/apt/apt.conf.d\";\nDir::State::status \"{root}/var/lib/dpkg/status\";\n"
            + "Debug::NoLocking \"1\";\nAPT::Sandbox::User \"root\";\nAcquire::Languages \"none\";\n", Ct);
        var env = new Dictionary<string, string?> { ["APT_CONFIG"] = config, ["LC_ALL"] = "C" };
        var debs = Path.Combine(cache, "debs");
        foreach (var old in Directory.Exists(debs) ? Directory.GetFiles(debs, "hello_*.deb") : [])
        {
            File.Delete(old);
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var update = await ProcessRunner.Instance.RunAsync(new ProcessSpec("apt-get", ["update"]) { Environment = env, Timeout = TimeSpan.FromMinutes(5) }, Ct);
        output.WriteLine($"apt-get update: {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s, exit {update.ExitCode}\n{update.StandardOutput}{update.StandardError}");
        Assert.Equal(0, update.ExitCode);
        Assert.DoesNotContain("NO_PUBKEY", update.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("not signed", update.StandardError, StringComparison.Ordinal);

        started = System.Diagnostics.Stopwatch.GetTimestamp();
        var download = await ProcessRunner.Instance.RunAsync(new ProcessSpec("apt-get", ["download", "hello"])
        {
            Environment = env, WorkingDirectory = Path.Combine(root, "work"), Timeout = TimeSpan.FromMinutes(5),
        }, Ct);
        output.WriteLine($"apt-get download hello: {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s, exit {download.ExitCode}\n{download.StandardOutput}{download.StandardError}");
        Assert.Equal(0, download.ExitCode);
        Assert.Single(Directory.GetFiles(Path.Combine(root, "work"), "hello_*.deb"));
        Assert.Single(Directory.GetFiles(debs, "hello_*.deb")); // the site's cache filled from the mirror
        Assert.NotEmpty(Directory.GetFiles(_dir.Combine("host", "packages"), "hello_*.deb", SearchOption.AllDirectories)); // and the host's copy
        Assert.Empty(Directory.GetFiles(debs, "*.partial", SearchOption.AllDirectories));
    }
}
