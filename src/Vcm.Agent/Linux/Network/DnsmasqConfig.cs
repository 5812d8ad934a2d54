using System.Globalization;
using System.Text;
using Vcm.Drivers.Network;

namespace Vcm.Agent.Linux.Network;

/// <summary>
/// The gateway's dnsmasq: DHCP with fixed MAC→IP leases only (unknown MACs get nothing), the gateway as router and
/// DNS server, DNS for NAME and NAME.DOMAIN from a hosts file, and no upstream servers at all, so no question a
/// guest asks leaves the gateway. The two host files are re-read on SIGHUP; the config needs a restart.
/// </summary>
internal static class DnsmasqConfig
{
    public static string Config(GatewaySpec spec, GatewayLayout layout, GatewayAddresses addresses, int mtu)
    {
        var text = new StringBuilder()
            .Append("# dnsmasq of gateway ").Append(spec.Name).Append(", written by vcm; changes are overwritten\n")
            .Append("user=root\n")
            .Append("pid-file=\n")
            .Append("no-resolv\n")
            .Append("no-hosts\n")
            .Append("interface=").Append(GatewayLayout.InnerLink).Append('\n')
            .Append("bind-interfaces\n")
            .Append("listen-address=").Append(addresses.Address).Append('\n')
            .Append("domain=").Append(spec.Domain).Append('\n')
            .Append("local=/").Append(spec.Domain).Append("/\n")
            .Append("addn-hosts=").Append(layout.Hosts).Append('\n')
            .Append("dhcp-range=").Append(addresses.Network).Append(",static,").Append(addresses.Netmask).Append(",12h\n")
            .Append("dhcp-ignore=tag:!known\n")
            .Append("dhcp-authoritative\n")
            .Append("dhcp-hostsfile=").Append(layout.DhcpHosts).Append('\n')
            .Append("dhcp-leasefile=").Append(layout.Leases).Append('\n')
            .Append("dhcp-option=option:router,").Append(addresses.Address).Append('\n')
            .Append("dhcp-option=option:dns-server,").Append(addresses.Address).Append('\n');
        if (mtu < 1500)
        {
            text.Append("dhcp-option=option:mtu,").Append(mtu.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.Append("log-facility=-\n").Append("log-dhcp\n").ToString();
    }

    /// <summary>MAC,IP,NAME per node.</summary>
    public static string DhcpHosts(GatewaySpec spec) =>
        string.Concat(spec.Nodes.Select(n => $"{n.Mac.ToLowerInvariant()},{n.Ip},{n.Name}\n"));

    /// <summary>IP NAME NAME.DOMAIN per node.</summary>
    public static string Hosts(GatewaySpec spec) =>
        string.Concat(spec.Nodes.Select(n => $"{n.Ip} {n.Name} {n.Name}.{spec.Domain}\n"));
}
