using Vcm.Domain.Networking;

namespace Vcm.Manager.Controllers;

/// <summary>Gateways' addresses on the site's external network: .10 upward (the first ten are for the router and such).</summary>
public static class ExternalAddresses
{
    public const int FirstOffset = 10;

    /// <summary>The lowest free address as CIDR text (e.g. 172.31.0.10/24), or null when none is free.</summary>
    public static string? Pick(string subnet, IReadOnlySet<string> used)
    {
        var network = Ipv4Subnet.Parse(subnet);
        for (var offset = (uint)FirstOffset; offset < network.Size - 1; offset++)
        {
            var candidate = $"{Ipv4Subnet.Format(network.Network + offset)}/{network.PrefixLength}";
            if (!used.Contains(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
