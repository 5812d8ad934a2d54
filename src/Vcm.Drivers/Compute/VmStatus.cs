namespace Vcm.Drivers.Compute;

/// <summary>A VM as the host sees it; <see cref="Usage"/> when it runs and its driver can measure it.</summary>
public sealed record VmStatus(string Name, VmState State, string? Detail = null, VmUsage? Usage = null);
