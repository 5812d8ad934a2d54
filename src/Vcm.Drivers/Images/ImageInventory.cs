namespace Vcm.Drivers.Images;

/// <summary>The images present on a host and the disks made from them.</summary>
public sealed record ImageInventory(IReadOnlyList<string> Images, IReadOnlyList<string> Disks);
