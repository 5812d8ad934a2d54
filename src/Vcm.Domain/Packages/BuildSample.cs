namespace Vcm.Domain.Packages;

/// <summary>
/// A recorded layer build: how many packages it installed, the layer's size, how long it took, and what the packages
/// unpack to (their Installed-Size, KiB; 0 for a build recorded before that was known).
/// </summary>
public sealed record BuildSample(int Packages, long Bytes, double Seconds, long InstalledKib = 0);
