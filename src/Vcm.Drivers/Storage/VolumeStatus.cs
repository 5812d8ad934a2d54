namespace Vcm.Drivers.Storage;

/// <summary>Where an exported volume is found: the portal (address:port), the target's IQN and the LUN.</summary>
public sealed record VolumeStatus(string Name, long SizeMb, string Portal, string Target, int Lun);
