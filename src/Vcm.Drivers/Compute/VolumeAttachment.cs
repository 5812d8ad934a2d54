namespace Vcm.Drivers.Compute;

/// <summary>An iSCSI LUN a VM attaches with its own initiator name.</summary>
public sealed record VolumeAttachment(string Portal, string Target, int Lun, string Initiator);
