namespace Vcm.Domain.Packages;

/// <summary>A recorded layer build: how many packages it installed, the layer's size, how long it took.</summary>
public sealed record BuildSample(int Packages, long Bytes, double Seconds);
