namespace Vcm.Domain.Packages;

/// <summary>A node's measured install at boot: how many packages apt installed and how long it took (updating its lists included).</summary>
public sealed record InstallSample(int Packages, double Seconds);
