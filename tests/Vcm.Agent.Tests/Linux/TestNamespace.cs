using System.Globalization;
using System.Security.Cryptography;
using Vcm.Drivers.Processes;

namespace Vcm.Agent.Tests.Linux;

/// <summary>
/// A throwaway network namespace playing a host ("vct-" + 6 hex digits). Disposing it kills, by PID, whatever still
/// runs inside it (only what the test started can) and deletes it, and with it every link in it.
/// </summary>
public sealed class TestNamespace : IAsyncDisposable
{
    private TestNamespace(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public static async Task<TestNamespace> CreateAsync()
    {
        var ns = new TestNamespace("vct-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3)));
        await RunAsync("ip", "netns", "add", ns.Name);
        await ns.IpAsync("link", "set", "lo", "up");
        return ns;
    }

    /// <summary>Joins two namespaces with a veth pair, addressed A and B in 10.231.N.0/24: an underlay both can reach.</summary>
    public static async Task<(string A, string B)> LinkAsync(TestNamespace a, TestNamespace b)
    {
        var net = RandomNumberGenerator.GetInt32(1, 250).ToString(CultureInfo.InvariantCulture);
        var (left, right) = (a.Name + "-u", b.Name + "-u");
        await RunAsync("ip", "link", "add", left, "netns", a.Name, "type", "veth", "peer", "name", right, "netns", b.Name);
        var (addrA, addrB) = ($"10.231.{net}.1", $"10.231.{net}.2");
        await a.IpAsync("addr", "add", addrA + "/24", "dev", left);
        await b.IpAsync("addr", "add", addrB + "/24", "dev", right);
        await a.IpAsync("link", "set", left, "up");
        await b.IpAsync("link", "set", right, "up");
        return (addrA, addrB);
    }

    /// <summary>
    /// Gives the namespace an address of its own on a veth pair that stays inside it (this kernel has no dummy links):
    /// an underlay address no one else needs to reach.
    /// </summary>
    public async Task<string> AddLocalAddressAsync()
    {
        var address = $"10.232.{RandomNumberGenerator.GetInt32(1, 250).ToString(CultureInfo.InvariantCulture)}.1";
        await IpAsync("link", "add", "vct-u0", "type", "veth", "peer", "name", "vct-u1");
        await IpAsync("addr", "add", address + "/24", "dev", "vct-u0");
        await IpAsync("link", "set", "vct-u1", "up");
        await IpAsync("link", "set", "vct-u0", "up");
        return address;
    }

    /// <summary>Runs `ip -n NAME …`; throws unless it succeeds.</summary>
    public async Task<ProcessResult> IpAsync(params string[] args) => await RunAsync("ip", ["-n", Name, .. args]);

    /// <summary>Runs a program inside the namespace; answers its result whatever the exit code.</summary>
    public Task<ProcessResult> ExecAsync(params string[] args) =>
        ProcessRunner.Instance.RunAsync(new ProcessSpec("ip", ["netns", "exec", Name, .. args]) { Timeout = TimeSpan.FromSeconds(60) }, CancellationToken.None);

    public async Task<bool> LinkExistsAsync(string link) =>
        (await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("ip", "-n", Name, "link", "show", "dev", link), CancellationToken.None)).Succeeded;

    public async ValueTask DisposeAsync()
    {
        var pids = await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("ip", "netns", "pids", Name), CancellationToken.None);
        foreach (var line in pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                Signals.ForceKill(pid);
            }
        }

        await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("ip", "netns", "del", Name), CancellationToken.None);
    }

    private static async Task<ProcessResult> RunAsync(string file, params string[] args) =>
        (await ProcessRunner.Instance.RunAsync(new ProcessSpec(file, args) { Timeout = TimeSpan.FromSeconds(60) }, CancellationToken.None)).EnsureSuccess();
}
