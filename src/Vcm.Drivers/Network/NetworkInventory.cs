namespace Vcm.Drivers.Network;

/// <summary>The segments, gateways, VPN ends and migration relay ends vcm made on a host.</summary>
public sealed record NetworkInventory(IReadOnlyList<string> Segments, IReadOnlyList<string> Gateways)
{
    public IReadOnlyList<string> Vpns { get; init; } = [];

    /// <summary>The ends of cross-site migrations' relays (see <see cref="MigrationRelaySpec"/>): a wipe removes them.</summary>
    public IReadOnlyList<string> Relays { get; init; } = [];
}
