namespace Vcm.Agent.Linux.Storage;

/// <summary>A logical unit of a tgt target: its number and backing file (none for LUN 0, the controller).</summary>
internal sealed record TgtLun(int Lun, string? BackingStore);
