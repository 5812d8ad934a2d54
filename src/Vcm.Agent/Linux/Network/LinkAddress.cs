using System.Text.Json;

namespace Vcm.Agent.Linux.Network;

/// <summary>An address on a link, as <c>ip -j addr show</c> prints it: "10.0.0.1/24", "fd76::1/64".</summary>
internal static class LinkAddress
{
    /// <summary>The global IPv4 addresses (CIDR) of the one link <c>ip -j addr show dev NAME</c> printed.</summary>
    public static IReadOnlyList<string> ParseIpv4(string json) => Parse(json, "inet");

    /// <summary>The global IPv6 addresses (CIDR) of the one link <c>ip -j addr show dev NAME</c> printed.</summary>
    public static IReadOnlyList<string> ParseIpv6(string json) => Parse(json, "inet6");

    private static List<string> Parse(string json, string wanted)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        using var document = JsonDocument.Parse(json);
        var addresses = new List<string>();
        foreach (var link in document.RootElement.EnumerateArray())
        {
            if (!link.TryGetProperty("addr_info", out var infos))
            {
                continue;
            }

            foreach (var info in infos.EnumerateArray())
            {
                if (info.TryGetProperty("family", out var family) && family.GetString() == wanted
                    && info.TryGetProperty("scope", out var scope) && scope.GetString() == "global")
                {
                    addresses.Add($"{info.GetProperty("local").GetString()}/{info.GetProperty("prefixlen").GetInt32()}");
                }
            }
        }

        return addresses;
    }
}
