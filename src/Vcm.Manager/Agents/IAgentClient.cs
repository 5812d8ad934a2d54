using Vcm.Drivers.Compute;
using Vcm.Drivers.Rpc;

namespace Vcm.Manager.Agents;

/// <summary>The manager's side of the agent RPC.</summary>
public interface IAgentClient
{
    /// <summary>
    /// Sends each host's work to the agent serving it (one call per agent, agents in parallel). A host whose agent
    /// cannot be reached gets a failed result for each of its steps; this method does not throw for that.
    /// </summary>
    Task<IReadOnlyList<HostWorkResult>> ApplyAsync(
        IReadOnlyList<HostWork> work, IReadOnlyDictionary<string, AgentRoute> routes, CancellationToken cancellationToken);

    /// <summary>The VMs on each host, or null for a host whose agent could not be asked.</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<VmStatus>?>> ListVmsAsync(
        IReadOnlyCollection<string> hosts, IReadOnlyDictionary<string, AgentRoute> routes, CancellationToken cancellationToken);
}
