namespace Vcm.Api;

/// <summary>Changes a cluster's worker count (the head stays): grown workers are built, the highest-numbered are released on a shrink.</summary>
public sealed record ResizeRequest(int? Workers);
