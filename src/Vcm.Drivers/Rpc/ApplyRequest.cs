namespace Vcm.Drivers.Rpc;

/// <summary>Work for several hosts of one agent; the agent does the hosts in parallel.</summary>
public sealed record ApplyRequest(IReadOnlyList<HostWork> Hosts);
