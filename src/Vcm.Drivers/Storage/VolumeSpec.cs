namespace Vcm.Drivers.Storage;

/// <summary>A block volume exported over iSCSI to the listed initiators only.</summary>
public sealed record VolumeSpec(string Name, long SizeMb, IReadOnlyList<string> Initiators);
