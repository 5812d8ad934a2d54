namespace Vcm.Drivers.Network;

/// <summary>The segments and gateways vcm made on a host.</summary>
public sealed record NetworkInventory(IReadOnlyList<string> Segments, IReadOnlyList<string> Gateways);
