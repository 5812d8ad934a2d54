using Vcm.Drivers.Processes;

namespace Vcm.Agent.Linux.Network;

/// <summary>
/// Runs iproute2 (ip, bridge, tc), nft and sysctl for the network driver through the host's process runner: host-side commands in the
/// context's namespace (<c>ip -n NS</c>, <c>bridge -n NS</c>) when it has one, gateway-side commands in the gateway's
/// namespace (<c>ip -n GW</c>, <c>ip netns exec GW</c>).
/// </summary>
internal sealed class HostShell(LinuxHostContext context)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The namespace that is "the host" (null: the agent's own).</summary>
    public string? HostNetns => context.Netns;

    /// <summary>Runs <c>ip</c> in the host's namespace; throws <see cref="ProcessFailedException"/> on failure.</summary>
    public Task<ProcessResult> IpAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        RunAsync("ip", In(context.Netns, arguments), cancellationToken);

    /// <summary>
    /// Runs <c>ip netns …</c>: named namespaces are machine-wide, and <c>ip -n</c> would run it in a private mount
    /// namespace, where a new namespace's bind mount would not be seen by anyone else.
    /// </summary>
    public Task<ProcessResult> NetnsAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        RunAsync("ip", ["netns", .. arguments], cancellationToken);

    /// <summary>Runs <c>ip</c> in the host's namespace and returns how it ended, failed or not.</summary>
    public Task<ProcessResult> TryIpAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        TryRunAsync("ip", In(context.Netns, arguments), cancellationToken);

    /// <summary>Runs <c>ip -n NETNS</c>; throws on failure.</summary>
    public Task<ProcessResult> IpInAsync(string netns, IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        RunAsync("ip", In(netns, arguments), cancellationToken);

    /// <summary>Runs <c>bridge</c> in the host's namespace; throws on failure.</summary>
    public Task<ProcessResult> BridgeAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        RunAsync("bridge", In(context.Netns, arguments), cancellationToken);

    /// <summary>Runs <c>tc</c> (traffic control) in the host's namespace; throws on failure.</summary>
    public Task<ProcessResult> TcAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        RunAsync("tc", In(context.Netns, arguments), cancellationToken);

    /// <summary>Runs a program inside a namespace (<c>ip netns exec</c>); throws on failure.</summary>
    public Task<ProcessResult> ExecInAsync(string netns, string program, IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        RunAsync("ip", ["netns", "exec", netns, program, .. arguments], null, cancellationToken);

    /// <summary>Runs a program inside a namespace with <paramref name="standardInput"/> as its input; throws on failure.</summary>
    public Task<ProcessResult> ExecInAsync(string netns, string program, IEnumerable<string> arguments, string standardInput, CancellationToken cancellationToken) =>
        RunAsync("ip", ["netns", "exec", netns, program, .. arguments], standardInput, cancellationToken);

    /// <summary>Every link of a namespace (null: the host's), with details.</summary>
    public async Task<IReadOnlyList<LinkInfo>> LinksAsync(string? netns, CancellationToken cancellationToken) =>
        LinkInfo.ParseAll((await RunAsync("ip", In(netns, ["-j", "-d", "link", "show"]), cancellationToken)).StandardOutput);

    /// <summary>The host's links by name.</summary>
    public async Task<Dictionary<string, LinkInfo>> HostLinksAsync(CancellationToken cancellationToken) =>
        (await LinksAsync(context.Netns, cancellationToken)).ToDictionary(l => l.Name, StringComparer.Ordinal);

    /// <summary>One link of a namespace, or null when there is none of that name (or no such namespace).</summary>
    public async Task<LinkInfo?> LinkAsync(string? netns, string name, CancellationToken cancellationToken)
    {
        var result = await TryRunAsync("ip", In(netns, ["-j", "-d", "link", "show", "dev", name]), cancellationToken);
        if (!result.Succeeded)
        {
            if (result.StandardError.Contains("does not exist", StringComparison.Ordinal)
                || result.StandardError.Contains("Cannot find device", StringComparison.Ordinal))
            {
                return null;
            }

            result.EnsureSuccess();
        }

        return LinkInfo.ParseAll(result.StandardOutput).FirstOrDefault();
    }

    /// <summary>The global IPv4 addresses (CIDR) of a link in a namespace.</summary>
    public Task<IReadOnlyList<string>> AddressesAsync(string netns, string link, CancellationToken cancellationToken) =>
        IpQueries.Ipv4AddressesAsync(context.Runner, netns, link, cancellationToken);

    /// <summary>The names of the machine's named network namespaces (they are global, not per host namespace).</summary>
    public Task<IReadOnlySet<string>> NamespacesAsync(CancellationToken cancellationToken) =>
        IpQueries.NamespacesAsync(context.Runner, cancellationToken);

    /// <summary>The PIDs of the processes in a named namespace.</summary>
    public Task<IReadOnlyList<int>> PidsAsync(string netns, CancellationToken cancellationToken) =>
        IpQueries.PidsAsync(context.Runner, netns, cancellationToken);

    /// <summary>Deletes a host-side veth end (which takes its peer with it); false when there was none.</summary>
    public async Task<bool> DeleteHostLinkAsync(string name, CancellationToken cancellationToken)
    {
        if (await LinkAsync(HostNetns, name, cancellationToken) is null)
        {
            return false;
        }

        var result = await TryIpAsync(["link", "del", name], cancellationToken);
        if (!result.Succeeded && !result.StandardError.Contains("Cannot find device", StringComparison.Ordinal))
        {
            result.EnsureSuccess();
        }

        return true;
    }

    /// <summary>
    /// Deletes a namespace of vcm's own after stopping anything still running in it (a daemon's child, one whose PID
    /// file was lost: all of it is vcm's); false when there was none.
    /// </summary>
    public async Task<bool> DeleteNamespaceAsync(string netns, TimeSpan grace, CancellationToken cancellationToken)
    {
        if (!(await NamespacesAsync(cancellationToken)).Contains(netns))
        {
            return false;
        }

        await StopProcessesAsync(netns, grace, cancellationToken);
        await NetnsAsync(["del", netns], cancellationToken);
        return true;
    }

    /// <summary>
    /// Stops everything running in a namespace of vcm's own (a daemon's child, one whose PID file was lost): SIGTERM,
    /// SIGKILL to what is left after <paramref name="grace"/>.
    /// </summary>
    private async Task StopProcessesAsync(string netns, TimeSpan grace, CancellationToken cancellationToken)
    {
        var pids = await PidsAsync(netns, cancellationToken);
        foreach (var pid in pids)
        {
            Signals.Terminate(pid);
        }

        var deadline = context.Clock.GetUtcNow() + grace;
        while (pids.Any(Signals.IsAlive) && context.Clock.GetUtcNow() < deadline)
        {
            await Task.Delay(20, cancellationToken);
            pids = await PidsAsync(netns, cancellationToken);
        }

        foreach (var pid in pids)
        {
            Signals.ForceKill(pid);
        }
    }

    /// <summary>Runs a program and returns how it ended, failed or not.</summary>
    public Task<ProcessResult> TryRunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        TryRunAsync(program, arguments, null, cancellationToken);

    private Task<ProcessResult> TryRunAsync(string program, IReadOnlyList<string> arguments, string? standardInput, CancellationToken cancellationToken) =>
        context.Runner.RunAsync(new ProcessSpec(program, arguments) { Timeout = CommandTimeout, StandardInput = standardInput }, cancellationToken);

    private Task<ProcessResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunAsync(program, arguments, null, cancellationToken);

    private async Task<ProcessResult> RunAsync(string program, IReadOnlyList<string> arguments, string? standardInput, CancellationToken cancellationToken) =>
        (await TryRunAsync(program, arguments, standardInput, cancellationToken)).EnsureSuccess();

    private static List<string> In(string? netns, IEnumerable<string> arguments) =>
        netns is null ? [.. arguments] : ["-n", netns, .. arguments];
}
