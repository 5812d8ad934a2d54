namespace Vcm.Drivers.Images;

/// <summary>A node's disk: a copy-on-write overlay of <see cref="Image"/> of the given size.</summary>
public sealed record DiskSpec(string Name, string Image, long SizeMb);
