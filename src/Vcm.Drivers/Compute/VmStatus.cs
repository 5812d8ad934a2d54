namespace Vcm.Drivers.Compute;

/// <summary>A VM as the host sees it.</summary>
public sealed record VmStatus(string Name, VmState State, string? Detail = null);
