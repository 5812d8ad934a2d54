using System.Globalization;
using System.Text.Json;
using Vcm.Drivers;
using Vcm.Drivers.Network;

namespace Vcm.Agent.Linux.Network;

/// <summary>
/// The tap of one VPN end: a persistent tap vcm makes (so it exists, on the bridge, whether openvpn runs or not, and
/// openvpn only opens it), with the end's MTU and alias, and a token bucket on its egress when the end is rate-limited.
/// </summary>
/// <remarks>
/// The tap's egress is what the kernel hands openvpn to read: the bridge's frames for the other site, i.e. what this
/// end sends into the tunnel. So a <c>tbf</c> root qdisc there limits exactly that.
/// </remarks>
internal sealed class VpnTap(HostShell shell)
{
    /// <summary>The bucket holds 10 ms at the rate, at least 32 KiB (more than a few full frames at any rate).</summary>
    private const int MinimumBurstBytes = 32 * 1024;

    /// <summary>
    /// Converges the tap to the spec; true if anything changed. A <paramref name="bridged"/> tap (an end of one path) is
    /// put on the cluster bridge; the tap of an end of several paths is made off the bridge and left on it or off it
    /// (the path selector, <see cref="VpnPaths"/>, bridges one path's tap at a time), but never on another bridge.
    /// </summary>
    public async Task<bool> EnsureAsync(VpnSpec spec, VpnLayout layout, IReadOnlyDictionary<string, LinkInfo> links, bool bridged, CancellationToken cancellationToken)
    {
        var changed = false;
        links.TryGetValue(layout.Tap, out var tap);
        if (tap is not null && tap.Kind != "tun")
        {
            throw new DriverException($"{layout.Tap} exists and is a {(tap.Kind.Length == 0 ? "plain link" : tap.Kind)}, not vcm's tap of VPN end {spec.Name}", terminal: true);
        }

        if (tap is null)
        {
            await shell.IpAsync(["tuntap", "add", "dev", layout.Tap, "mode", "tap"], cancellationToken);
            await shell.IpAsync(["link", "set", layout.Tap, "addrgenmode", "none"], cancellationToken);
            changed = true;
        }

        if (bridged && (tap is null || tap.Mtu != spec.Mtu || tap.Master != spec.Bridge || !tap.Up || tap.Alias != layout.TapAlias))
        {
            await shell.IpAsync(["link", "set", layout.Tap, "mtu", Text(spec.Mtu), "master", spec.Bridge, "alias", layout.TapAlias, "up"], cancellationToken);
            changed = true;
        }
        else if (!bridged && (tap is null || tap.Mtu != spec.Mtu || !tap.Up || tap.Alias != layout.TapAlias || tap.Master is { } m && m != spec.Bridge))
        {
            List<string> master = tap?.Master is { } other && other != spec.Bridge ? ["nomaster"] : [];
            await shell.IpAsync(["link", "set", layout.Tap, "mtu", Text(spec.Mtu), .. master, "alias", layout.TapAlias, "up"], cancellationToken);
            changed = true;
        }

        return changed | await EnsureRateAsync(layout.Tap, spec.RateMbit, cancellationToken);
    }

    /// <summary>Deletes the end's tap (by name, or any tap whose alias names the end); true if there was one.</summary>
    public async Task<bool> DeleteAsync(VpnLayout layout, IEnumerable<LinkInfo> links, CancellationToken cancellationToken)
    {
        var taps = links.Where(l => l.Kind == "tun" && (l.Name == layout.Tap || l.Alias == layout.TapAlias)).Select(l => l.Name).ToList();
        foreach (var tap in taps)
        {
            await shell.IpAsync(["link", "del", tap], cancellationToken);
        }

        return taps.Count > 0;
    }

    /// <summary>The VPN ends whose taps are among <paramref name="links"/> (by their alias).</summary>
    public static IEnumerable<string> Ends(IEnumerable<LinkInfo> links) =>
        links.Where(l => l.Kind == "tun" && l.Alias is { } alias && alias.StartsWith(VpnLayout.AliasPrefix, StringComparison.Ordinal))
            .Select(l => l.Alias![VpnLayout.AliasPrefix.Length..]);

    /// <summary>A tbf root qdisc at the rate, or none (only a tbf, which vcm put there, is removed).</summary>
    private async Task<bool> EnsureRateAsync(string tap, int? rateMbit, CancellationToken cancellationToken)
    {
        var (kind, rateBytes) = await RootQdiscAsync(tap, cancellationToken);
        if (rateMbit is not { } mbit)
        {
            if (kind != "tbf")
            {
                return false;
            }

            await shell.TcAsync(["qdisc", "del", "dev", tap, "root"], cancellationToken);
            return true;
        }

        var wanted = mbit * 125_000L;
        if (kind == "tbf" && rateBytes == wanted)
        {
            return false;
        }

        var burst = Math.Max(MinimumBurstBytes, wanted / 100);
        await shell.TcAsync(["qdisc", "replace", "dev", tap, "root", "tbf", "rate", Text(mbit) + "mbit", "burst", Text(burst), "latency", "50ms"], cancellationToken);
        return true;
    }

    /// <summary>The kind of the tap's root qdisc and, for a tbf, its rate in bytes per second.</summary>
    private async Task<(string? Kind, long? RateBytes)> RootQdiscAsync(string tap, CancellationToken cancellationToken)
    {
        var output = (await shell.TcAsync(["-j", "qdisc", "show", "dev", tap, "root"], cancellationToken)).StandardOutput;
        if (string.IsNullOrWhiteSpace(output))
        {
            return (null, null);
        }

        using var document = JsonDocument.Parse(output);
        foreach (var qdisc in document.RootElement.EnumerateArray())
        {
            var kind = qdisc.TryGetProperty("kind", out var k) ? k.GetString() : null;
            long? rate = null;
            if (qdisc.TryGetProperty("options", out var options) && options.ValueKind == JsonValueKind.Object)
            {
                rate = options.TryGetProperty("rate64", out var r64) && r64.ValueKind == JsonValueKind.Number ? r64.GetInt64()
                    : options.TryGetProperty("rate", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt64()
                    : null;
            }

            return (kind, rate);
        }

        return (null, null);
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
