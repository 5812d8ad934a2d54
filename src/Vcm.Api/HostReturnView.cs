namespace Vcm.Api;

/// <summary>A dead host returned to service: its state now (ready), and whether something vcm had left on it was removed.</summary>
public sealed record HostReturnView(string Host, string State, bool Wiped);
