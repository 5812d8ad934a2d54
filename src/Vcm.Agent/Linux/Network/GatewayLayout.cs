using System.Security.Cryptography;
using System.Text;

namespace Vcm.Agent.Linux.Network;

/// <summary>
/// Where a gateway's pieces are, all derived from its name: its namespace (the name itself), the host-side ends of
/// its veths ("vcg"/"vce" + 8 hex digits of a hash of the name, within Linux's 15 characters), and its files.
/// </summary>
internal sealed record GatewayLayout(string Name, string Directory)
{
    /// <summary>The cluster-side veth inside the gateway namespace.</summary>
    public const string InnerLink = "eth0";

    /// <summary>The external-side veth inside the gateway namespace.</summary>
    public const string ExternalInnerLink = "ext0";

    public static GatewayLayout Of(LinuxHostContext context, string name) => new(name, context.Paths.Gateway(name));

    /// <summary>The host-side end of the veth to the cluster's bridge.</summary>
    public string HostLink => HostLinkName(Name);

    /// <summary>The host-side end of the veth to the site's external bridge.</summary>
    public string ExternalHostLink => "vce" + Hash(Name);

    public string DnsmasqConf => Path.Combine(Directory, "dnsmasq.conf");

    /// <summary>MAC,IP,NAME per line (dnsmasq dhcp-hostsfile; re-read on SIGHUP).</summary>
    public string DhcpHosts => Path.Combine(Directory, "dhcp-hosts");

    /// <summary>IP NAME NAME.DOMAIN per line (dnsmasq addn-hosts; re-read on SIGHUP).</summary>
    public string Hosts => Path.Combine(Directory, "hosts");

    public string Leases => Path.Combine(Directory, "leases");

    /// <summary>What the running dnsmasq was last given: the hashes of its config and of its host files.</summary>
    public string DnsmasqApplied => Path.Combine(Directory, "dnsmasq.applied");

    public string DnsmasqPid => Path.Combine(Directory, "dnsmasq.pid");

    public string DnsmasqLog => Path.Combine(Directory, "dnsmasq.log");

    public string MetadataPid => Path.Combine(Directory, "metadata.pid");

    public string MetadataLog => Path.Combine(Directory, "metadata.log");

    /// <summary>The nftables table last applied inside the namespace.</summary>
    public string Firewall => Path.Combine(Directory, "firewall.nft");

    /// <summary>Markers that a PID is this gateway's daemon (its command line holds them).</summary>
    public string DnsmasqMarker => "--conf-file=" + DnsmasqConf;

    public string MetadataMarker => "metadata --dir " + Directory + " --listen";

    public static string HostLinkName(string gateway) => "vcg" + Hash(gateway);

    /// <summary>
    /// The MAC of a link inside the namespace: fixed by the gateway's name (locally administered, unicast), so a
    /// rebuilt gateway (after a reboot or a lost namespace) answers at the MAC the nodes and the router still cache.
    /// </summary>
    public string InnerMac(string link)
    {
        var hex = Hash(Name + "/" + link, 10);
        return string.Join(':', new[] { "02", hex[..2], hex[2..4], hex[4..6], hex[6..8], hex[8..10] });
    }

    /// <summary>
    /// The MAC of a gateway's external link, made from its external address rather than from the gateway: an address
    /// released by one cluster and given to the next keeps its MAC, so the external network's neighbour caches (its
    /// router's, the lab's) never send to a gateway that is gone.
    /// </summary>
    public static string ExternalMac(string cidr)
    {
        var hex = Hash("external/" + cidr.Split('/')[0], 10);
        return string.Join(':', new[] { "02", hex[..2], hex[2..4], hex[4..6], hex[6..8], hex[8..10] });
    }

    private static string Hash(string text, int digits = 8) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..digits];
}
