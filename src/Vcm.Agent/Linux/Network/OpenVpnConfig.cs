using System.Globalization;
using System.Text;
using Vcm.Drivers.Network;

namespace Vcm.Agent.Linux.Network;

/// <summary>
/// The config file of one VPN end's openvpn: a point-to-point TLS tunnel over UDP between the two ends' WAN addresses
/// that carries Ethernet frames through the tap vcm made (pure L2: no addresses, routes or pushed options).
/// </summary>
/// <remarks>
/// Both ends name each other (<c>remote</c>), so each accepts packets only from the other's address and port; the
/// server is the TLS server (<c>dh none</c>: ECDHE only) and requires a client certificate, the client requires a
/// server certificate (<c>remote-cert-tls</c>: EKU and key usage), both from the cluster's own CA; <c>tls-crypt</c>
/// hides and authenticates the control channel, so a stranger's packets are dropped before TLS. The data channel
/// cipher is OpenVPN 2.6's negotiated default (AES-256-GCM). <c>ping 2</c> / <c>ping-restart 10</c>: a dead or
/// restarted peer is noticed within 10 s and the session renegotiated. <c>persist-tun</c>: a restart after a ping
/// timeout keeps the tap open (no carrier flap on the bridge). <c>disable-dco</c>: the kernel's data channel offload
/// carries no tap traffic anyway; saying so keeps openvpn from probing for it.
/// <para>
/// MTU: the tap and <c>tun-mtu</c> are the cluster's MTU (1500), so nodes send full frames; a full frame becomes a UDP
/// datagram of about 1560 bytes, more than a 1500-byte WAN carries. <c>mtu-disc no</c> sends it without DF, so the
/// kernel (or a router on the way) fragments it and the other end's kernel reassembles it; with DF set (<c>mtu-disc
/// yes</c>) full frames are lost. OpenVPN's own <c>fragment</c> is not used; <c>mssfix</c> is left at its default.
/// </para>
/// <para>
/// An end of several WAN paths runs one openvpn per path (<see cref="VpnLayout.Path"/>), between that path's two
/// addresses on the same ports, each with a management socket the agent's path selector asks for the tunnel's state,
/// and a faster keepalive (<c>ping 1</c> / <c>ping-restart 2</c>): a path whose far side is lost is given up within
/// 2–3 s, so the selector can move to a standby path within the failover goal of 3 s (a local link going down is seen
/// at once, by the selector itself).
/// </para>
/// </remarks>
internal static class OpenVpnConfig
{
    public static string Of(VpnSpec spec, VpnLayout layout, int mtu)
    {
        var path = spec.Paths[layout.Path - 1];
        var several = spec.AlternatePaths.Count > 0;
        var port = spec.Port.ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.Append("# vcm VPN end ").Append(spec.Name).Append(spec.Server ? " (server)" : " (client)");
        if (several)
        {
            text.Append(", WAN path ").Append(layout.Path.ToString(CultureInfo.InvariantCulture)).Append(" of ").Append(spec.Paths.Count.ToString(CultureInfo.InvariantCulture));
        }

        text.Append('\n');
        Line(text, "dev", layout.Tap);
        Line(text, "dev-type", "tap");
        Line(text, "tun-mtu", mtu.ToString(CultureInfo.InvariantCulture));
        Line(text, "mtu-disc", "no");
        Line(text, "proto", "udp");
        Line(text, "local", path.Local);
        Line(text, "lport", port);
        Line(text, "remote", path.Remote + " " + spec.RemotePort.ToString(CultureInfo.InvariantCulture));
        if (spec.Server)
        {
            Line(text, "tls-server");
            Line(text, "dh", "none");
            Line(text, "remote-cert-tls", "client");
        }
        else
        {
            Line(text, "tls-client");
            Line(text, "remote-cert-tls", "server");
        }

        Line(text, "ca", Quoted(layout.CaCertificate));
        Line(text, "cert", Quoted(layout.Certificate));
        Line(text, "key", Quoted(layout.PrivateKey));
        Line(text, "tls-crypt", Quoted(layout.TlsCryptKey));
        if (several)
        {
            Line(text, "management", Quoted(layout.ManagementSocket) + " unix");
            Line(text, "ping", "1");
            Line(text, "ping-restart", "2");
        }
        else
        {
            Line(text, "ping", "2");
            Line(text, "ping-restart", "10");
        }

        Line(text, "persist-tun");
        Line(text, "disable-dco");
        Line(text, "verb", "3");
        return text.ToString();
    }

    /// <summary>A path in double quotes (openvpn splits options at white space); the folder names never hold quotes or backslashes.</summary>
    private static string Quoted(string path) => "\"" + path + "\"";

    private static void Line(StringBuilder text, string option, string? value = null)
    {
        text.Append(option);
        if (value is not null)
        {
            text.Append(' ').Append(value);
        }

        text.Append('\n');
    }
}
