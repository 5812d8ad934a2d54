namespace Vcm.Drivers.Rpc;

public sealed record ApplyResponse(IReadOnlyList<HostWorkResult> Hosts);
