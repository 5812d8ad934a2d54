using System.Globalization;
using Vcm.Drivers.Processes;

namespace Vcm.Bench;

/// <summary>
/// A measuring endpoint on a cluster's segment: a namespace of its own (<see cref="Netns"/>, "vbp-…") whose eth0 holds
/// an address of the cluster's subnet, joined by a veth to the cluster's bridge in a lab host's namespace. Frames
/// from it cross the cluster's VPN like a node's, so two probes at two sites measure the VPN without the guests
/// (which have no iperf3 and run under TCG). Disposing removes the veth and the namespace.
/// </summary>
internal sealed class SegmentProbe : IAsyncDisposable
{
    public const int FullMtu = 1500;

    private readonly string _hostNetns;
    private readonly string _hostLink;

    private SegmentProbe(string name, string hostNetns, string address)
    {
        Netns = "vbp-" + name;
        _hostNetns = hostNetns;
        _hostLink = "vbp" + name;
        Address = address;
    }

    public string Netns { get; }

    public string Address { get; }

    /// <summary>
    /// Makes probe <paramref name="name"/> (at most 12 characters: the host-side link is "vbp" + name) on
    /// <paramref name="bridge"/> in <paramref name="hostNetns"/>, at <paramref name="address"/>/<paramref name="prefix"/>.
    /// </summary>
    public static async Task<SegmentProbe> CreateAsync(string name, string hostNetns, string bridge, string address, int prefix, CancellationToken cancellationToken)
    {
        var probe = new SegmentProbe(name, hostNetns, address);

        // fails if the namespace exists (a run that was killed): then nothing here is this run's to remove
        await RunAsync(cancellationToken, "ip", "netns", "add", probe.Netns);
        try
        {
            await RunAsync(cancellationToken, "ip", "-n", probe.Netns, "link", "set", "lo", "up");
            await RunAsync(cancellationToken, "ip", "-n", probe.Netns, "link", "add", "eth0", "mtu", Text(FullMtu), "type", "veth", "peer", "name", probe._hostLink, "netns", hostNetns);
            await RunAsync(cancellationToken, "ip", "-n", hostNetns, "link", "set", probe._hostLink, "mtu", Text(FullMtu), "master", bridge, "up");
            await RunAsync(cancellationToken, "ip", "-n", probe.Netns, "addr", "add", $"{address}/{Text(prefix)}", "dev", "eth0");
            await RunAsync(cancellationToken, "ip", "-n", probe.Netns, "link", "set", "eth0", "up");
            return probe;
        }
        catch
        {
            await probe.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sets the probe's own MTU (the bridge side stays at 1500, so the cluster's segment is not touched).</summary>
    public Task SetMtuAsync(int mtu, CancellationToken cancellationToken) =>
        RunAsync(cancellationToken, "ip", "-n", Netns, "link", "set", "eth0", "mtu", Text(mtu));

    /// <summary>
    /// Pings <paramref name="address"/> from the probe until it answers; false if it did not within the time. The
    /// machine has no iputils ping: busybox's, as the recipes use.
    /// </summary>
    public async Task<bool> ReachesAsync(string address, TimeSpan within, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            var ping = await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("ip", "netns", "exec", Netns, "busybox", "ping", "-c", "1", "-W", "1", address), cancellationToken);
            if (ping.Succeeded)
            {
                return true;
            }
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        // absent is fine: each step may not have been reached; deleting the namespace takes eth0 and its peer too
        await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("ip", "-n", _hostNetns, "link", "del", _hostLink), CancellationToken.None);
        await ProcessRunner.Instance.RunAsync(ProcessSpec.Of("ip", "netns", "del", Netns), CancellationToken.None);
    }

    private static async Task RunAsync(CancellationToken cancellationToken, string file, params string[] args) =>
        (await ProcessRunner.Instance.RunAsync(new ProcessSpec(file, args), cancellationToken)).EnsureSuccess();

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
