using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Vcm.Domain.Networking;

/// <summary>An IPv4 network in CIDR form, with the address plan vcm uses inside a cluster's segment.</summary>
/// <remarks>
/// The plan: the first address after the network is the gateway (DHCP, DNS, NAT, metadata); the next eight are
/// kept for infrastructure; node k (the head is 0, node-01 is 1 …) gets the network address + 10 + k.
/// </remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(Text.TextJsonConverter<Ipv4Subnet>))]
public sealed record Ipv4Subnet(uint Network, int PrefixLength) : Text.ITextValue<Ipv4Subnet>
{
    public const int FirstNodeOffset = 10;

    public static readonly Ipv4Subnet DefaultPool = Parse("10.0.0.0/8");

    public uint Size => PrefixLength == 0 ? uint.MaxValue : 1u << (32 - PrefixLength);

    public uint Mask => PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);

    /// <summary>How many nodes this subnet can address under the plan.</summary>
    public long NodeCapacity => Math.Max(0, (long)Size - FirstNodeOffset - 1);

    public string Gateway => Format(Network + 1);

    public string Netmask => Format(Mask);

    public string Broadcast => Format(Network + Size - 1);

    public string NodeAddress(int index)
    {
        if (index < 0 || index >= NodeCapacity)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"node index {index} does not fit in {this}");
        }

        return Format(Network + FirstNodeOffset + (uint)index);
    }

    public bool IsPrivate =>
        Within(Parse("10.0.0.0/8")) || Within(Parse("172.16.0.0/12")) || Within(Parse("192.168.0.0/16"));

    public bool Within(Ipv4Subnet outer) =>
        PrefixLength >= outer.PrefixLength && (Network & outer.Mask) == outer.Network;

    public static Ipv4Subnet Parse(string text) =>
        TryParse(text, out var subnet, out var error) ? subnet! : throw new FormatException(error);

    public static bool TryParse(string? text, out Ipv4Subnet? subnet, out string error)
    {
        subnet = null;
        error = "";
        var parts = (text ?? "").Split('/');
        if (parts.Length != 2
            || !IPAddress.TryParse(parts[0], out var address)
            || address.AddressFamily != AddressFamily.InterNetwork
            || parts[0].Count(c => c == '.') != 3
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            || prefix is < 0 or > 32)
        {
            error = $"'{text}' is not an IPv4 network in CIDR form, like 10.0.0.0/24";
            return false;
        }

        var bytes = address.GetAddressBytes();
        var network = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        var candidate = new Ipv4Subnet(network, prefix);
        if ((network & candidate.Mask) != network)
        {
            error = $"'{text}' has host bits set; the network is {Format(network & candidate.Mask)}/{prefix}";
            return false;
        }

        subnet = candidate;
        return true;
    }

    /// <summary>The smallest subnet at <paramref name="network"/> (a /24 at least) that holds <paramref name="nodes"/> nodes.</summary>
    public static Ipv4Subnet SizedFor(string network, int nodes)
    {
        var prefix = 24;
        while (prefix > 8 && new Ipv4Subnet(0, prefix).NodeCapacity < nodes)
        {
            prefix--;
        }

        var baseAddress = Parse(network + "/32").Network;
        var mask = new Ipv4Subnet(0, prefix).Mask;
        return new Ipv4Subnet(baseAddress & mask, prefix);
    }

    /// <summary>
    /// The first block of <paramref name="pool"/>, sized for <paramref name="nodes"/> (a /24 at least), that
    /// overlaps none of <paramref name="used"/>; the pool's first block when all are used (clusters' subnets may
    /// overlap: each has its own segment).
    /// </summary>
    public static Ipv4Subnet FirstFree(Ipv4Subnet pool, int nodes, IReadOnlyCollection<Ipv4Subnet> used)
    {
        var size = SizedFor(Format(pool.Network), nodes);
        ulong step = size.Size;
        var poolEnd = (ulong)pool.Network + (pool.PrefixLength == 0 ? 1UL << 32 : pool.Size);

        // the used blocks as address ranges, by start; one walk over them (not every block against every used one)
        var taken = used.Select(u => (Start: (ulong)(u.Network & u.Mask), End: (ulong)(u.Network & u.Mask) + (u.PrefixLength == 0 ? 1UL << 32 : u.Size)))
            .OrderBy(r => r.Start).ToList();
        var next = 0;
        ulong reach = 0; // the highest end of the ranges passed so far
        for (ulong network = pool.Network; network + step <= poolEnd;)
        {
            while (next < taken.Count && taken[next].Start < network + step)
            {
                reach = Math.Max(reach, taken[next].End);
                next++;
            }

            if (reach <= network)
            {
                return new Ipv4Subnet((uint)network, size.PrefixLength);
            }

            // the next block of the pool's grid at or after the end of what is in use
            network = pool.Network + ((reach - pool.Network + step - 1) / step * step);
        }

        return size;
    }

    public bool Overlaps(Ipv4Subnet other)
    {
        var mask = PrefixLength < other.PrefixLength ? Mask : other.Mask;
        return (Network & mask) == (other.Network & mask);
    }

    public static string Format(uint address) =>
        string.Create(CultureInfo.InvariantCulture, $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}");

    public override string ToString() => $"{Format(Network)}/{PrefixLength}";
}
