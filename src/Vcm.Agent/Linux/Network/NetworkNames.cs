using System.Net;
using System.Net.Sockets;
using Vcm.Drivers;

namespace Vcm.Agent.Linux.Network;

/// <summary>Checks of the names and addresses a spec carries; a bad one is a terminal error (retrying cannot help).</summary>
internal static class NetworkNames
{
    /// <summary>Linux link names: 1–15 characters, no slash, colon or white space.</summary>
    public static void CheckLink(string name, string what)
    {
        if (name.Length is 0 or > 15 || !name.All(IsNameChar))
        {
            throw new DriverException($"{what} name '{name}' is not a valid Linux interface name (1-15 of A-Z a-z 0-9 . _ -)", terminal: true);
        }
    }

    /// <summary>Gateway names are namespace and folder names too.</summary>
    public static void CheckGateway(string name) => CheckObject(name, "gateway");

    /// <summary>VPN end names are folder names and part of their tap's alias.</summary>
    public static void CheckVpn(string name) => CheckObject(name, "VPN");

    private static void CheckObject(string name, string what)
    {
        if (name.Length is 0 or > 64 || name is "." or ".." || !name.All(IsNameChar) || !name.StartsWith("vc", StringComparison.Ordinal))
        {
            throw new DriverException($"{what} name '{name}' must start with 'vc' and have at most 64 of A-Z a-z 0-9 . _ -", terminal: true);
        }
    }

    /// <summary>Node names become DNS names and dnsmasq fields.</summary>
    public static void CheckHostName(string name, string what)
    {
        if (name.Length is 0 or > 63 || name.StartsWith('-') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new DriverException($"{what} '{name}' is not a valid host name (1-63 of A-Z a-z 0-9 -)", terminal: true);
        }
    }

    public static void CheckDomain(string domain)
    {
        if (domain.Length is 0 or > 200 || domain.Split('.').Any(label => label.Length is 0 or > 63 || label.StartsWith('-') || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            throw new DriverException($"domain '{domain}' is not a valid DNS domain", terminal: true);
        }
    }

    public static IPAddress Ipv4(string text, string what)
    {
        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetwork || text.Contains('/', StringComparison.Ordinal))
        {
            throw new DriverException($"{what} '{text}' is not an IPv4 address", terminal: true);
        }

        return address;
    }

    /// <summary>"a.b.c.d/n" as an address and a prefix length (the address need not be the network's first).</summary>
    public static (IPAddress Address, int Prefix) Cidr(string text, string what)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !int.TryParse(text[(slash + 1)..], out var prefix) || prefix is < 1 or > 32)
        {
            throw new DriverException($"{what} '{text}' is not in CIDR form (a.b.c.d/n)", terminal: true);
        }

        return (Ipv4(text[..slash], what), prefix);
    }

    public static void CheckMac(string mac, string what)
    {
        if (mac.Length != 17 || !mac.Select((c, i) => i % 3 == 2 ? c == ':' : char.IsAsciiHexDigit(c)).All(ok => ok))
        {
            throw new DriverException($"{what} '{mac}' is not a MAC address (xx:xx:xx:xx:xx:xx)", terminal: true);
        }
    }

    /// <summary>The dotted netmask of a prefix length: 24 → 255.255.255.0.</summary>
    public static string Netmask(int prefix)
    {
        var bits = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return new IPAddress([(byte)(bits >> 24), (byte)(bits >> 16), (byte)(bits >> 8), (byte)bits]).ToString();
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';
}
