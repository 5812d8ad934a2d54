using System.Net;

namespace Vcm.Drivers.Tls;

/// <summary>Where plain HTTP is still taken: loopback only (traffic there never leaves the machine). One answer for manager, agents and the CLI.</summary>
public static class Loopback
{
    public static bool Is(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && Is(address));

    /// <summary>A loopback address (an IPv4 one mapped into IPv6 too).</summary>
    public static bool Is(IPAddress address) => IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    /// <summary>True for a plain-HTTP URL on an address other than loopback, which no vcm server listens at.</summary>
    public static bool PlainOffLoopback(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && !Is(uri);
}
