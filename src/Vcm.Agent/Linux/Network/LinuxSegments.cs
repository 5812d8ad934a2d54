using System.Globalization;
using System.Text.Json;
using Vcm.Drivers;
using Vcm.Drivers.Network;

namespace Vcm.Agent.Linux.Network;

/// <summary>
/// A cluster's segment on a host: a bridge and a unicast VXLAN device on it, whose all-zero FDB entries send
/// broadcast and unknown traffic to every peer (head-end replication); known MACs are learnt per peer.
/// </summary>
internal sealed class LinuxSegments(LinuxHostContext context, HostShell shell)
{
    private const string AllZeroMac = "00:00:00:00:00:00";

    /// <summary>The alias that marks a bridge as a vcm segment, so the inventory never counts another bridge named "vc…".</summary>
    private const string BridgeAlias = "vcm-segment";

    /// <summary>The MTU of the segment's links: the spec's, but never more than the underlay carries after the VXLAN header.</summary>
    public int Mtu(SegmentSpec spec) => Math.Min(spec.Mtu, context.UnderlayMtu - 50);

    public async Task<EnsureOutcome> EnsureAsync(SegmentSpec spec, CancellationToken cancellationToken)
    {
        Check(spec);
        var mtu = Mtu(spec);
        var links = await shell.HostLinksAsync(cancellationToken);
        links.TryGetValue(spec.Bridge, out var bridge);
        if (bridge is null)
        {
            await shell.IpAsync(["link", "add", spec.Bridge, "type", "bridge"], cancellationToken);
            await shell.IpAsync(["link", "set", spec.Bridge, "addrgenmode", "none", "alias", BridgeAlias], cancellationToken);
        }
        else if (!bridge.IsBridge)
        {
            throw new DriverException($"{spec.Bridge} exists and is a {Kind(bridge)}, not a bridge", terminal: true);
        }

        var (vxlan, changed) = await EnsureVxlanDeviceAsync(spec, links, cancellationToken);

        // The port first: a bridge takes the smallest MTU of its ports until its own is set.
        if (vxlan is null || vxlan.Mtu != mtu || vxlan.Master != spec.Bridge || !vxlan.Up || vxlan.Alias != AliasOf(spec.Bridge))
        {
            await shell.IpAsync(["link", "set", spec.Vxlan, "mtu", Text(mtu), "master", spec.Bridge, "alias", AliasOf(spec.Bridge), "up"], cancellationToken);
            changed = true;
        }

        if (bridge is null || bridge.Mtu != mtu || !bridge.Up || bridge.Alias != BridgeAlias)
        {
            await shell.IpAsync(["link", "set", spec.Bridge, "mtu", Text(mtu), "alias", BridgeAlias, "up"], cancellationToken);
            changed = true;
        }

        changed |= await ConvergePeersAsync(spec, cancellationToken);
        return bridge is null ? EnsureOutcome.Created : changed ? EnsureOutcome.Updated : EnsureOutcome.Unchanged;
    }

    public async Task<DeleteOutcome> DeleteAsync(string bridge, CancellationToken cancellationToken)
    {
        NetworkNames.CheckLink(bridge, "bridge");
        var links = await shell.HostLinksAsync(cancellationToken);
        links.TryGetValue(bridge, out var bridgeLink);
        if (bridgeLink is not null && !bridgeLink.IsBridge)
        {
            throw new DriverException($"{bridge} is a {Kind(bridgeLink)}, not a bridge vcm made; left alone", terminal: true);
        }

        var ports = links.Values.Where(l => l.Master == bridge).ToList();
        if (ports.FirstOrDefault(p => p.Name.StartsWith("vcg", StringComparison.Ordinal)) is { } gateway)
        {
            throw new DriverException($"segment {bridge} still has a gateway attached ({gateway.Name}); delete the gateway first");
        }

        if (ports.FirstOrDefault(p => p.Name.StartsWith("vcv", StringComparison.Ordinal)) is { } vpn)
        {
            throw new DriverException($"segment {bridge} still has a VPN end attached ({vpn.Alias ?? vpn.Name}); delete the VPN end first");
        }

        var vxlans = SegmentVxlans(links.Values, bridge).ToList();
        foreach (var vxlan in vxlans)
        {
            await shell.IpAsync(["link", "del", vxlan], cancellationToken);
        }

        if (bridgeLink is not null)
        {
            await shell.IpAsync(["link", "del", bridge], cancellationToken);
        }

        return bridgeLink is null && vxlans.Count == 0 ? DeleteOutcome.Absent : DeleteOutcome.Deleted;
    }

    /// <summary>vcm's segments on the host: its bridges, named "vc…" and marked with vcm's alias.</summary>
    public static IEnumerable<string> List(IEnumerable<LinkInfo> links) =>
        links.Where(l => l.IsBridge && l.Name.StartsWith("vc", StringComparison.Ordinal) && l.Alias == BridgeAlias).Select(l => l.Name);

    /// <summary>
    /// Makes sure the segment has exactly one VXLAN device, the spec's, with the spec's VNI, port and local address
    /// (recreated if not). Answers the device as it was found (null: made now or remade) and whether anything changed.
    /// </summary>
    private async Task<(LinkInfo? Vxlan, bool Changed)> EnsureVxlanDeviceAsync(SegmentSpec spec, Dictionary<string, LinkInfo> links, CancellationToken cancellationToken)
    {
        var changed = false;

        // Another VXLAN device of this segment (the spec renamed it) goes: one segment, one VXLAN.
        foreach (var stale in SegmentVxlans(links.Values, spec.Bridge).Where(n => n != spec.Vxlan))
        {
            await shell.IpAsync(["link", "del", stale], cancellationToken);
            links.Remove(stale);
            changed = true;
        }

        links.TryGetValue(spec.Vxlan, out var vxlan);
        if (vxlan is not null && !vxlan.IsVxlan)
        {
            throw new DriverException($"{spec.Vxlan} exists and is a {Kind(vxlan)}, not a VXLAN device", terminal: true);
        }

        if (vxlan is not null && (vxlan.Vni != spec.Vni || vxlan.Port != spec.Port || vxlan.Local != context.UnderlayAddress))
        {
            await shell.IpAsync(["link", "del", spec.Vxlan], cancellationToken);
            vxlan = null;
        }

        if (vxlan is null)
        {
            if (links.Values.FirstOrDefault(l => l.IsVxlan && l.Vni == spec.Vni && l.Port == spec.Port && l.Name != spec.Vxlan) is { } other)
            {
                throw new DriverException($"VNI {spec.Vni} on port {spec.Port} is already used by {other.Name} on this host", terminal: true);
            }

            await shell.IpAsync(["link", "add", spec.Vxlan, "type", "vxlan", "id", Text(spec.Vni), "local", context.UnderlayAddress, "dstport", Text(spec.Port)], cancellationToken);
            await shell.IpAsync(["link", "set", spec.Vxlan, "addrgenmode", "none"], cancellationToken);
            changed = true;
        }

        return (vxlan, changed);
    }

    /// <summary>
    /// The segment's VXLAN devices: those on its bridge, and those whose alias names the bridge (a VXLAN device keeps
    /// it even if the bridge was removed by hand, so a delete still finds it).
    /// </summary>
    private static IEnumerable<string> SegmentVxlans(IEnumerable<LinkInfo> links, string bridge) =>
        links.Where(l => l.IsVxlan && (l.Master == bridge || l.Alias == AliasOf(bridge))).Select(l => l.Name).ToList();

    private static string AliasOf(string bridge) => "vcm-segment:" + bridge;

    /// <summary>Makes the all-zero FDB entries exactly the spec's peers (less this host); true if any changed.</summary>
    private async Task<bool> ConvergePeersAsync(SegmentSpec spec, CancellationToken cancellationToken)
    {
        var wanted = spec.Peers.Where(p => p != context.UnderlayAddress).ToHashSet(StringComparer.Ordinal);
        var present = await FloodPeersAsync(spec.Vxlan, cancellationToken);
        var changed = false;
        foreach (var peer in present.Where(p => !wanted.Contains(p)))
        {
            await shell.BridgeAsync(["fdb", "del", AllZeroMac, "dev", spec.Vxlan, "dst", peer], cancellationToken);
            changed = true;
        }

        foreach (var peer in wanted.Where(p => !present.Contains(p)).Order(StringComparer.Ordinal))
        {
            await shell.BridgeAsync(["fdb", "append", AllZeroMac, "dev", spec.Vxlan, "dst", peer], cancellationToken);
            changed = true;
        }

        return changed;
    }

    private async Task<HashSet<string>> FloodPeersAsync(string vxlan, CancellationToken cancellationToken)
    {
        var output = (await shell.BridgeAsync(["-j", "fdb", "show", "dev", vxlan], cancellationToken)).StandardOutput;
        var peers = new HashSet<string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(output))
        {
            return peers;
        }

        using var document = JsonDocument.Parse(output);
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            if (entry.TryGetProperty("mac", out var mac) && mac.GetString() == AllZeroMac && entry.TryGetProperty("dst", out var dst) && dst.GetString() is { } peer)
            {
                peers.Add(peer);
            }
        }

        return peers;
    }

    private void Check(SegmentSpec spec)
    {
        NetworkNames.CheckLink(spec.Bridge, "bridge");
        NetworkNames.CheckLink(spec.Vxlan, "VXLAN");
        if (spec.Vni is < 1 or > 0xFFFFFF)
        {
            throw new DriverException($"VNI {spec.Vni} is outside 1..16777215", terminal: true);
        }

        if (spec.Port is < 1 or > 65535)
        {
            throw new DriverException($"VXLAN port {spec.Port} is outside 1..65535", terminal: true);
        }

        if (Mtu(spec) < 576)
        {
            throw new DriverException($"segment MTU {Mtu(spec)} (spec {spec.Mtu}, underlay {context.UnderlayMtu}) is too small", terminal: true);
        }

        NetworkNames.Ipv4(context.UnderlayAddress, "the host's underlay address");
        foreach (var peer in spec.Peers)
        {
            NetworkNames.Ipv4(peer, "peer");
        }
    }

    private static string Kind(LinkInfo link) => link.Kind.Length == 0 ? "plain link" : link.Kind;

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
