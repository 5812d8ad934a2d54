using System.Globalization;
using System.Net;
using Vcm.Drivers;
using Vcm.Drivers.Network;

namespace Vcm.Agent.Linux.Network;

/// <summary>The addresses a gateway spec implies, checked: a bad one is a terminal error.</summary>
internal sealed record GatewayAddresses(
    string Address,
    int Prefix,
    string Network,
    string Netmask,
    string? ExternalAddress,
    int ExternalPrefix,
    string? Router)
{
    /// <summary>The gateway's address on the cluster's segment in CIDR form.</summary>
    public string AddressCidr => string.Create(CultureInfo.InvariantCulture, $"{Address}/{Prefix}");

    /// <summary>The cluster's subnet in CIDR form, normalised to its first address.</summary>
    public string Subnet => string.Create(CultureInfo.InvariantCulture, $"{Network}/{Prefix}");

    public string? ExternalCidr => ExternalAddress is null ? null : string.Create(CultureInfo.InvariantCulture, $"{ExternalAddress}/{ExternalPrefix}");

    /// <summary>
    /// Reads the spec's addresses. <see cref="GatewaySpec.Address"/> may carry its prefix ("10.0.0.1/24") or not
    /// ("10.0.0.1": the subnet's prefix); it must lie inside <see cref="GatewaySpec.Subnet"/>, as must every node's.
    /// </summary>
    public static GatewayAddresses Of(GatewaySpec spec)
    {
        var (subnetAddress, prefix) = NetworkNames.Cidr(spec.Subnet, "subnet");
        var network = Mask(subnetAddress, prefix);
        var address = spec.Address.Contains('/', StringComparison.Ordinal)
            ? NetworkNames.Cidr(spec.Address, "gateway address")
            : (NetworkNames.Ipv4(spec.Address, "gateway address"), prefix);
        if (address.Item2 != prefix || !Mask(address.Item1, prefix).Equals(network))
        {
            throw new DriverException($"gateway address {spec.Address} is not in subnet {spec.Subnet}", terminal: true);
        }

        foreach (var node in spec.Nodes)
        {
            if (node.Ip == address.Item1.ToString())
            {
                throw new DriverException($"node {node.Name} has the gateway's own address {node.Ip}", terminal: true);
            }

            if (!Mask(NetworkNames.Ipv4(node.Ip, $"node {node.Name}'s address"), prefix).Equals(network))
            {
                throw new DriverException($"node {node.Name}'s address {node.Ip} is not in subnet {spec.Subnet}", terminal: true);
            }
        }

        string? external = null;
        var externalPrefix = 0;
        string? router = null;
        if (spec.External is { } ext)
        {
            var (externalAddress, p) = NetworkNames.Cidr(ext.Address, "external address");
            external = externalAddress.ToString();
            externalPrefix = p;
            router = NetworkNames.Ipv4(ext.Router, "external router").ToString();
        }

        return new GatewayAddresses(address.Item1.ToString(), prefix, network.ToString(), NetworkNames.Netmask(prefix), external, externalPrefix, router);
    }

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        var bits = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        var value = ((uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3]) & bits;
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
    }
}
