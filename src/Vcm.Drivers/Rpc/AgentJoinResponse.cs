namespace Vcm.Drivers.Rpc;

public sealed record AgentJoinResponse(string Site, IReadOnlyList<string> Hosts);
