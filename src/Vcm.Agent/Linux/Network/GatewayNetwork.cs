using System.Globalization;
using System.Text.Json;
using Vcm.Drivers;
using Vcm.Drivers.Network;

namespace Vcm.Agent.Linux.Network;

/// <summary>
/// The gateway's namespace and its links: a veth from the cluster's bridge (inside: eth0 with the gateway address),
/// and with an external side a veth from the site's external bridge (inside: ext0, the default route via the site's
/// router, IPv4 forwarding on).
/// </summary>
internal sealed class GatewayNetwork(HostShell shell)
{
    /// <summary>Converges the namespace and its links to the spec; answers whether anything changed and the cluster-side MTU.</summary>
    public async Task<(bool Changed, int Mtu)> EnsureAsync(GatewaySpec spec, GatewayLayout layout, GatewayAddresses addresses, IReadOnlyDictionary<string, LinkInfo> hostLinks, CancellationToken cancellationToken)
    {
        var changed = false;
        if (!(await shell.NamespacesAsync(cancellationToken)).Contains(spec.Name))
        {
            await shell.NetnsAsync(["add", spec.Name], cancellationToken);
            changed = true;
        }

        if (await shell.LinkAsync(spec.Name, "lo", cancellationToken) is not { Up: true })
        {
            await shell.IpInAsync(spec.Name, ["link", "set", "lo", "up"], cancellationToken);
            changed = true;
        }

        // Never more than the segment carries: nodes are told this MTU by DHCP.
        var mtu = Math.Min(spec.Mtu, hostLinks[spec.Bridge].Mtu);
        changed |= await EnsureVethAsync(layout, layout.HostLink, GatewayLayout.InnerLink, layout.InnerMac(GatewayLayout.InnerLink), spec.Bridge, mtu, addresses.AddressCidr, hostLinks, cancellationToken);

        if (spec.External is { } external)
        {
            var externalMtu = hostLinks[external.Bridge].Mtu;
            changed |= await EnsureVethAsync(layout, layout.ExternalHostLink, GatewayLayout.ExternalInnerLink, GatewayLayout.ExternalMac(addresses.ExternalCidr!), external.Bridge, externalMtu, addresses.ExternalCidr!, hostLinks, cancellationToken);
            changed |= await EnsureDefaultRouteAsync(spec.Name, addresses.Router!, cancellationToken);
        }
        else if (hostLinks.ContainsKey(layout.ExternalHostLink))
        {
            await shell.DeleteHostLinkAsync(layout.ExternalHostLink, cancellationToken);
            changed = true;
        }

        changed |= await EnsureForwardingAsync(spec.Name, spec.External is not null, cancellationToken);
        return (changed, mtu);
    }

    private async Task<bool> EnsureVethAsync(GatewayLayout layout, string hostEnd, string innerEnd, string innerMac, string master, int mtu, string cidr, IReadOnlyDictionary<string, LinkInfo> hostLinks, CancellationToken cancellationToken)
    {
        var netns = layout.Name;
        var changed = false;
        hostLinks.TryGetValue(hostEnd, out var host);
        var inner = await shell.LinkAsync(netns, innerEnd, cancellationToken);
        if (host is not { IsVeth: true } || inner is not { IsVeth: true })
        {
            // One end missing or something else in the way: make the pair afresh.
            if (host is not null)
            {
                await shell.DeleteHostLinkAsync(hostEnd, cancellationToken);
            }

            if (await shell.LinkAsync(netns, innerEnd, cancellationToken) is not null)
            {
                await shell.IpInAsync(netns, ["link", "del", innerEnd], cancellationToken);
            }

            await shell.IpAsync(["link", "add", hostEnd, "type", "veth", "peer", "name", innerEnd, "address", innerMac, "netns", netns], cancellationToken);
            await shell.IpAsync(["link", "set", hostEnd, "addrgenmode", "none"], cancellationToken);
            await shell.IpInAsync(netns, ["link", "set", innerEnd, "addrgenmode", "none"], cancellationToken);
            host = null;
            inner = null;
            changed = true;
        }

        if (host is null || host.Mtu != mtu || host.Master != master || !host.Up)
        {
            await shell.IpAsync(["link", "set", hostEnd, "mtu", Text(mtu), "master", master, "up"], cancellationToken);
            changed = true;
        }

        if (inner is null || inner.Mtu != mtu || !inner.Up)
        {
            await shell.IpInAsync(netns, ["link", "set", innerEnd, "mtu", Text(mtu), "up"], cancellationToken);
            changed = true;
        }

        var addresses = await shell.AddressesAsync(netns, innerEnd, cancellationToken);
        foreach (var stale in addresses.Where(a => a != cidr))
        {
            await shell.IpInAsync(netns, ["addr", "del", stale, "dev", innerEnd], cancellationToken);
            changed = true;
        }

        if (!addresses.Contains(cidr))
        {
            await shell.IpInAsync(netns, ["addr", "add", cidr, "dev", innerEnd], cancellationToken);
            changed = true;
        }

        return changed;
    }

    private async Task<bool> EnsureDefaultRouteAsync(string netns, string router, CancellationToken cancellationToken)
    {
        var output = (await shell.IpInAsync(netns, ["-j", "route", "show", "default"], cancellationToken)).StandardOutput;
        if (!string.IsNullOrWhiteSpace(output))
        {
            using var document = JsonDocument.Parse(output);
            var routes = document.RootElement.EnumerateArray().ToList();
            if (routes.Count == 1 && Is(routes[0], "gateway", router) && Is(routes[0], "dev", GatewayLayout.ExternalInnerLink))
            {
                return false;
            }
        }

        await shell.IpInAsync(netns, ["route", "replace", "default", "via", router, "dev", GatewayLayout.ExternalInnerLink], cancellationToken);
        return true;
    }

    private async Task<bool> EnsureForwardingAsync(string netns, bool on, CancellationToken cancellationToken)
    {
        var wanted = on ? "1" : "0";
        var current = (await shell.ExecInAsync(netns, "sysctl", ["-n", "net.ipv4.ip_forward"], cancellationToken)).StandardOutput.Trim();
        if (current == wanted)
        {
            return false;
        }

        await shell.ExecInAsync(netns, "sysctl", ["-qw", "net.ipv4.ip_forward=" + wanted], cancellationToken);
        return true;
    }

    private static bool Is(JsonElement route, string property, string value) =>
        route.TryGetProperty(property, out var p) && p.GetString() == value;

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
