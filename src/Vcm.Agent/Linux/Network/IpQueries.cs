using System.Globalization;
using System.Text.Json;
using Vcm.Drivers.Processes;

namespace Vcm.Agent.Linux.Network;

/// <summary>
/// What iproute2 says of namespaces, routes and addresses, asked through a process runner and read from its JSON
/// (<c>ip -j</c>): the one place the drivers and the lab read <c>ip</c>'s answers. A failing <c>ip</c> throws
/// <see cref="ProcessFailedException"/>.
/// </summary>
public static class IpQueries
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The machine's named network namespaces (they are global, not per namespace).</summary>
    public static async Task<IReadOnlySet<string>> NamespacesAsync(IProcessRunner runner, CancellationToken cancellationToken) =>
        ParseNamespaces(await IpAsync(runner, null, ["-j", "netns", "list"], cancellationToken));

    /// <summary>The PIDs of the processes in a named namespace.</summary>
    public static async Task<IReadOnlyList<int>> PidsAsync(IProcessRunner runner, string netns, CancellationToken cancellationToken) =>
        ParsePids(await IpAsync(runner, null, ["netns", "pids", netns], cancellationToken));

    /// <summary>Where the IPv4 routes of a namespace (null: the caller's own) lead: "default", or a destination like 10.0.0.0/24.</summary>
    public static async Task<IReadOnlyList<string>> RouteDestinationsAsync(IProcessRunner runner, string? netns, CancellationToken cancellationToken) =>
        ParseRouteDestinations(await IpAsync(runner, netns, ["-j", "-4", "route", "show"], cancellationToken));

    /// <summary>The global IPv4 addresses (CIDR, like 10.0.0.1/24) of a link in a namespace (null: the caller's own).</summary>
    public static async Task<IReadOnlyList<string>> Ipv4AddressesAsync(IProcessRunner runner, string? netns, string link, CancellationToken cancellationToken) =>
        LinkAddress.ParseIpv4(await IpAsync(runner, netns, ["-j", "addr", "show", "dev", link], cancellationToken));

    /// <summary>The names in what <c>ip -j netns list</c> printed (nothing when there are no namespaces).</summary>
    public static IReadOnlySet<string> ParseNamespaces(string json)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in Array(json))
        {
            if (entry.TryGetProperty("name", out var name) && name.GetString() is { } text)
            {
                names.Add(text);
            }
        }

        return names;
    }

    /// <summary>
    /// The PIDs <c>ip netns pids</c> printed, one a line: iproute2 has no JSON for this answer, so it is read here
    /// and nowhere else.
    /// </summary>
    public static IReadOnlyList<int> ParsePids(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => int.Parse(line, NumberStyles.None, CultureInfo.InvariantCulture))
            .ToList();

    /// <summary>The <c>dst</c> of every route in what <c>ip -j route show</c> printed.</summary>
    public static IReadOnlyList<string> ParseRouteDestinations(string json) =>
        Array(json).Select(route => route.TryGetProperty("dst", out var dst) ? dst.GetString() : null).OfType<string>().ToList();

    private static List<JsonElement> Array(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static async Task<string> IpAsync(IProcessRunner runner, string? netns, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> args = netns is null ? arguments : ["-n", netns, .. arguments];
        return (await runner.RunAsync(new ProcessSpec("ip", args) { Timeout = Timeout }, cancellationToken)).EnsureSuccess().StandardOutput;
    }
}
