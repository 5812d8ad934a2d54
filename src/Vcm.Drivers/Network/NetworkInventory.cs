namespace Vcm.Drivers.Network;

/// <summary>The segments, gateways and VPN ends vcm made on a host.</summary>
public sealed record NetworkInventory(IReadOnlyList<string> Segments, IReadOnlyList<string> Gateways)
{
    public IReadOnlyList<string> Vpns { get; init; } = [];
}
