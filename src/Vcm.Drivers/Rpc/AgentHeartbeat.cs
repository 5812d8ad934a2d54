using Vcm.Drivers.Hosts;

namespace Vcm.Drivers.Rpc;

/// <summary>An agent's periodic report: it is alive, at this URL, with these hosts, whose running VMs use this much (<see cref="Vms"/>).</summary>
public sealed record AgentHeartbeat(string AgentId, string Url, IReadOnlyList<HostFacts> Hosts, IReadOnlyList<VmUsageReport>? Vms = null);
