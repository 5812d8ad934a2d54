using Vcm.Drivers.Compute;
using Vcm.Drivers.Network;
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

    /// <summary>The phone-home reports of a gateway, or null when its host's agent could not be asked.</summary>
    Task<IReadOnlyList<NodeReport>?> ReportsAsync(string host, string gateway, AgentRoute route, CancellationToken cancellationToken);

    /// <summary>The tail of a VM's serial console, or null when there is no such VM (or no answer).</summary>
    Task<string?> ConsoleAsync(string host, string vm, int bytes, AgentRoute route, CancellationToken cancellationToken);
}
