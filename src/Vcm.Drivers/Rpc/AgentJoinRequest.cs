using Vcm.Drivers.Hosts;

namespace Vcm.Drivers.Rpc;

/// <summary>
/// An agent asking a site's manager to take it in. <see cref="AgentKey"/> is the secret the manager will present
/// when it calls the agent, and the agent when it reports; <see cref="Token"/> is the site's join token (empty when a
/// known agent comes back with its key). <see cref="Csr"/> is a PEM signing request for the agent's certificate.
/// </summary>
public sealed record AgentJoinRequest(string Token, string AgentId, string AgentKey, string Url, IReadOnlyList<HostFacts> Hosts, string? Csr = null);
