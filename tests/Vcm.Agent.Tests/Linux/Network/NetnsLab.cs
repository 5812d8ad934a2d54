using System.Security.Cryptography;
using Vcm.Agent.Linux;
using Vcm.Drivers.Processes;
using Xunit;

namespace Vcm.Agent.Tests.Linux.Network;

/// <summary>
/// Throwaway namespaces ("vct-TAG-…") standing in for hosts, nodes and the outside world, and the processes a test
/// runs in them. Everything is recorded as it is made and removed in reverse order on dispose, even after a failure:
/// processes by PID, then namespaces (taking their links with them), then the folder.
/// </summary>
public sealed class NetnsLab : IAsyncDisposable
{
    private readonly List<string> _namespaces = [];
    private readonly List<IRunningProcess> _processes = [];
    private readonly List<Func<Task>> _cleanups = [];

    public NetnsLab()
    {
        Tag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        Folder = Path.Combine(Path.GetTempPath(), "vct-" + Tag);
        Directory.CreateDirectory(Folder);
    }

    /// <summary>Six hex digits unique to this lab.</summary>
    public string Tag { get; }

    /// <summary>A scratch folder, removed on dispose.</summary>
    public string Folder { get; }

    public static ProcessRunner Runner => ProcessRunner.Instance;

    /// <summary>The namespaces this lab made, in order.</summary>
    public IReadOnlyList<string> Namespaces => _namespaces;

    public string Ns(string suffix) => $"vct-{Tag}-{suffix}";

    /// <summary>
    /// The context of a Linux host that is namespace <paramref name="ns"/>, with its data in the lab's folder
    /// <paramref name="data"/> (no metadata service program, no image store beyond the lab's folder).
    /// </summary>
    public LinuxHostContext HostContext(string ns, string underlay, string data, int underlayMtu = 1500) => new()
    {
        HostName = ns,
        DataDirectory = Path.Combine(Folder, data),
        Netns = ns,
        UnderlayAddress = underlay,
        UnderlayMtu = underlayMtu,
        VcmExecutable = "/bin/false",
        ImageStore = Folder,
    };

    /// <summary>Makes namespace vct-TAG-SUFFIX with its loopback up.</summary>
    public async Task<string> AddNamespaceAsync(string suffix)
    {
        var name = Ns(suffix);
        _namespaces.Add(name);
        await RunAsync("ip", "netns", "add", name);
        await RunAsync("ip", "-n", name, "link", "set", "lo", "up");
        return name;
    }

    /// <summary>Removes one of this lab's namespaces now (a stand-in node's, with its veth).</summary>
    public async Task RemoveNamespaceAsync(string name)
    {
        await RunAsync("ip", "netns", "del", name);
        _namespaces.Remove(name);
    }

    /// <summary>Something to do on dispose before the namespaces go (e.g. the driver's deletes), in reverse order.</summary>
    public void OnDispose(Func<Task> cleanup) => _cleanups.Add(cleanup);

    /// <summary>
    /// A stand-in node: namespace vct-TAG-SUFFIX whose eth0 (MAC <paramref name="mac"/>, MTU <paramref name="mtu"/>)
    /// is a veth from <paramref name="bridge"/> in <paramref name="hostNs"/>; with <paramref name="cidr"/>, addressed.
    /// </summary>
    public async Task<string> AddNodeAsync(string hostNs, string bridge, string suffix, string mac, string? cidr = null, int mtu = 1500)
    {
        var ns = await AddNamespaceAsync(suffix);
        var hostEnd = "vctp" + suffix;
        await RunAsync("ip", "-n", hostNs, "link", "add", hostEnd, "type", "veth", "peer", "name", "eth0", "netns", ns);
        await RunAsync("ip", "-n", hostNs, "link", "set", hostEnd, "mtu", $"{mtu}", "master", bridge, "up");
        await RunAsync("ip", "-n", ns, "link", "set", "eth0", "address", mac, "mtu", $"{mtu}", "up");
        if (cidr is not null)
        {
            await RunAsync("ip", "-n", ns, "addr", "add", cidr, "dev", "eth0");
        }

        return ns;
    }

    public static async Task<ProcessResult> RunAsync(params string[] command) =>
        (await TryAsync(command)).EnsureSuccess();

    public static Task<ProcessResult> TryAsync(params string[] command) =>
        Runner.RunAsync(new ProcessSpec(command[0], command[1..]) { Timeout = TimeSpan.FromSeconds(60) }, CancellationToken.None);

    /// <summary>Runs a command inside a namespace; returns how it ended.</summary>
    public static Task<ProcessResult> InAsync(string ns, params string[] command) => TryAsync(["ip", "netns", "exec", ns, .. command]);

    /// <summary>Starts a long-running command inside a namespace; it is stopped by PID on dispose.</summary>
    public IRunningProcess Start(string ns, params string[] command)
    {
        var process = Runner.Start(new ProcessSpec("ip", ["netns", "exec", ns, .. command]));
        _processes.Add(process);
        return process;
    }

    /// <summary>Polls <paramref name="probe"/> until it answers true, at most <paramref name="attempts"/> times.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> probe, int attempts = 30, int pauseMs = 200)
    {
        for (var i = 0; i < attempts; i++)
        {
            if (await probe())
            {
                return true;
            }

            await Task.Delay(pauseMs);
        }

        return false;
    }

    /// <summary>True when <paramref name="address"/> answers a ping from <paramref name="ns"/> within a few tries.</summary>
    public static Task<bool> PingsAsync(string ns, string address, int size = 56) =>
        EventuallyAsync(async () => (await InAsync(ns, "busybox", "ping", "-c", "1", "-W", "1", "-s", $"{size}", address)).Succeeded, attempts: 10, pauseMs: 100);

    /// <summary>True when no ping from <paramref name="ns"/> to <paramref name="address"/> gets an answer (three tries).</summary>
    public static async Task<bool> NeverPingsAsync(string ns, string address) =>
        !(await InAsync(ns, "busybox", "ping", "-c", "3", "-W", "1", address)).Succeeded;

    /// <summary>The body at <paramref name="url"/> fetched from inside <paramref name="ns"/>, or null (also after <paramref name="seconds"/>).</summary>
    public static async Task<string?> FetchAsync(string ns, string url, int seconds = 5)
    {
        var result = await InAsync(ns, "timeout", $"{seconds}", "busybox", "wget", "-q", "-O", "-", url);
        return result.Succeeded ? result.StandardOutput : null;
    }

    public async ValueTask DisposeAsync()
    {
        var errors = new List<string>();
        for (var i = _cleanups.Count - 1; i >= 0; i--)
        {
            try
            {
                await _cleanups[i]();
            }
            catch (Exception e)
            {
                errors.Add(e.Message);
            }
        }

        foreach (var process in _processes)
        {
            await process.StopAsync(TimeSpan.FromSeconds(5));
            process.Dispose();
        }

        for (var i = _namespaces.Count - 1; i >= 0; i--)
        {
            var result = await TryAsync("ip", "netns", "del", _namespaces[i]);
            if (!result.Succeeded && !result.StandardError.Contains("No such file", StringComparison.Ordinal))
            {
                errors.Add(result.StandardError.Trim());
            }
        }

        Directory.Delete(Folder, recursive: true);
        Assert.True(errors.Count == 0, "lab cleanup: " + string.Join("; ", errors));
    }
}
