using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Vcm.Drivers.Network;

namespace Vcm.Agent.Linux.Network;

/// <summary>
/// The path selector of VPN ends with several WAN paths: every few hundred milliseconds the agent asks each path's
/// openvpn (over its management socket) whether its tunnel is connected and looks at the carrier of the path's local
/// WAN link, chooses a path by <see cref="VpnPathChoice"/>, and bridges that path's tap to the cluster bridge — first
/// taking any other path's tap off it, so at no instant are two paths bridged (no spanning tree: that would be a loop).
/// </summary>
/// <remarks>
/// Its state is on the host, not in the agent: which tap is on the bridge is the path in use, and the ends and paths
/// are in each end's <see cref="VpnLayout.PathsFile"/>; a restarted agent reads both and carries on. Only when a path
/// was first seen usable is kept in memory (a restart treats it as just now, which only delays a switch back).
/// </remarks>
internal sealed class VpnPaths(LinuxHostContext context, HostShell shell)
{
    private static readonly TimeSpan ManagementTimeout = TimeSpan.FromMilliseconds(500);

    private readonly Dictionary<string, long> _usableSince = new(StringComparer.Ordinal);

    /// <summary>What an end of several paths writes to its <see cref="VpnLayout.PathsFile"/>.</summary>
    public static string Describe(VpnSpec spec)
    {
        var text = new StringBuilder("bridge ").Append(spec.Bridge).Append('\n');
        foreach (var (path, number) in spec.Paths.Select((p, i) => (p, i + 1)))
        {
            text.Append(number.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(path.Local).Append(' ').Append(path.Remote).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The bridge and the paths (number, local address) of a <see cref="VpnLayout.PathsFile"/>; null when it is not one.</summary>
    public static (string Bridge, IReadOnlyList<(int Path, string Local)> Paths)? Read(string? text)
    {
        var lines = (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length < 3 || lines[0].Split(' ') is not ["bridge", var bridge])
        {
            return null;
        }

        var paths = new List<(int, string)>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Split(' ') is not [var number, var local, _] || !int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var path))
            {
                return null;
            }

            paths.Add((path, local));
        }

        return (bridge, paths);
    }

    /// <summary>One look at every end of several paths; answers what it switched ("VPN end N: WAN path 2 bridged …").</summary>
    public async Task<IReadOnlyList<string>> SelectAsync(CancellationToken cancellationToken)
    {
        var ends = Ends();
        if (ends.Count == 0)
        {
            return [];
        }

        var carriers = Carriers((await shell.IpAsync(["-j", "addr", "show"], cancellationToken)).StandardOutput);
        var links = await shell.HostLinksAsync(cancellationToken);
        var now = context.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var switched = new List<string>();
        foreach (var (layout, bridge, paths) in ends)
        {
            var health = new List<VpnPathHealth>();
            foreach (var (number, local) in paths)
            {
                var key = layout.Name + "/" + number.ToString(CultureInfo.InvariantCulture);
                var usable = carriers.GetValueOrDefault(local) && await TunnelUpAsync(layout.ForPath(number).ManagementSocket, cancellationToken);
                if (!usable)
                {
                    _usableSince.Remove(key);
                }
                else if (!_usableSince.ContainsKey(key))
                {
                    _usableSince[key] = now;
                }

                health.Add(new VpnPathHealth(number, usable, usable ? _usableSince[key] : null));
            }

            var bridged = paths.Where(p => links.GetValueOrDefault(layout.ForPath(p.Path).Tap)?.Master == bridge).Select(p => p.Path).ToList();
            int? current = bridged.Count > 0 ? bridged.Min() : null;
            var chosen = VpnPathChoice.Choose(health, current, now);
            if (bridged.SequenceEqual([chosen]) || !links.ContainsKey(layout.ForPath(chosen).Tap))
            {
                continue;
            }

            foreach (var other in bridged.Where(p => p != chosen))
            {
                await shell.IpAsync(["link", "set", layout.ForPath(other).Tap, "nomaster"], cancellationToken);
            }

            if (!bridged.Contains(chosen))
            {
                await shell.IpAsync(["link", "set", layout.ForPath(chosen).Tap, "master", bridge], cancellationToken);
            }

            var down = health.Where(h => !h.Usable).Select(h => h.Path.ToString(CultureInfo.InvariantCulture)).ToList();
            switched.Add($"VPN end {layout.Name}: WAN path {chosen} bridged{(current is { } was && was != chosen ? $" instead of path {was}" : "")}"
                + (down.Count > 0 ? $" (down: path {string.Join(", ", down)})" : ""));
        }

        return switched;
    }

    /// <summary>Whether each local address is on a link that is up with a carrier, from <c>ip -j addr show</c>.</summary>
    public static IReadOnlyDictionary<string, bool> Carriers(string json)
    {
        var carriers = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json))
        {
            return carriers;
        }

        using var document = JsonDocument.Parse(json);
        foreach (var link in document.RootElement.EnumerateArray())
        {
            var flags = link.TryGetProperty("flags", out var f) ? f.EnumerateArray().Select(x => x.GetString()).ToList() : [];
            var carrier = flags.Contains("UP") && flags.Contains("LOWER_UP");
            if (!link.TryGetProperty("addr_info", out var addresses))
            {
                continue;
            }

            foreach (var address in addresses.EnumerateArray())
            {
                if (address.TryGetProperty("local", out var local) && local.GetString() is { } text)
                {
                    carriers[text] = carrier;
                }
            }
        }

        return carriers;
    }

    /// <summary>Whether an openvpn's management interface says its tunnel is connected; false when it does not answer.</summary>
    public static async Task<bool> TunnelUpAsync(string socket, CancellationToken cancellationToken)
    {
        if (!File.Exists(socket))
        {
            return false;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ManagementTimeout);
        try
        {
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await client.ConnectAsync(new UnixDomainSocketEndPoint(socket), timeout.Token);
            await using var stream = new NetworkStream(client, ownsSocket: false);
            await stream.WriteAsync("state\n"u8.ToArray(), timeout.Token);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            while (await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line == "END")
                {
                    return false;
                }

                // ">INFO:…" greets; the state line is "TIME,STATE,DETAIL,…"
                if (!line.StartsWith('>') && line.Split(',') is [_, var state, ..])
                {
                    return state == "CONNECTED";
                }
            }

            return false;
        }
        catch (Exception e) when (e is SocketException or IOException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private List<(VpnLayout Layout, string Bridge, IReadOnlyList<(int Path, string Local)> Paths)> Ends()
    {
        var ends = new List<(VpnLayout, string, IReadOnlyList<(int, string)>)>();
        if (!Directory.Exists(context.Paths.Vpns))
        {
            return ends;
        }

        foreach (var folder in Directory.EnumerateDirectories(context.Paths.Vpns).Order(StringComparer.Ordinal))
        {
            var layout = VpnLayout.Of(context, Path.GetFileName(folder));
            if (Read(FileText.ReadOrNull(layout.PathsFile)) is { } described)
            {
                ends.Add((layout, described.Bridge, described.Paths));
            }
        }

        return ends;
    }
}
